package io.cxml.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the local test servers started by {@code .ci/services.sh start} through their {@code CXML_TEST_*}
 * environment variables. When a variable is absent a test may start its own server (so {@code mvn test} works on a
 * dev machine after {@code .ci/services.sh install}); under CI ({@code CI=true}) a missing server is a failure, never
 * a skip.
 */
public final class TestServers {
    private TestServers() {}

    /** S3 endpoint, region and keys of the shared s3proxy. */
    public static final String S3_ENDPOINT = "CXML_TEST_S3_ENDPOINT";
    public static final String S3_REGION = "CXML_TEST_S3_REGION";
    public static final String S3_ACCESS_KEY = "CXML_TEST_S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "CXML_TEST_S3_SECRET_KEY";
    /** The s3proxy jar-with-dependencies, for tests that run their own instance. */
    public static final String S3PROXY_JAR = "CXML_TEST_S3PROXY_JAR";
    /** JDBC URL ({@code account=} and {@code ssl=off}), user and password of the shared fakesnow server. */
    public static final String SNOWFLAKE_URL = "CXML_TEST_SNOWFLAKE_URL";
    public static final String SNOWFLAKE_USER = "CXML_TEST_SNOWFLAKE_USER";
    public static final String SNOWFLAKE_PASSWORD = "CXML_TEST_SNOWFLAKE_PASSWORD";
    /** The fakesnow executable, for tests that run their own instance. */
    public static final String FAKESNOW = "CXML_TEST_FAKESNOW";
    /** JDBC URL, user and password of the shared PostgreSQL. */
    public static final String PG_URL = "CXML_TEST_PG_URL";
    public static final String PG_USER = "CXML_TEST_PG_USER";
    public static final String PG_PASSWORD = "CXML_TEST_PG_PASSWORD";

    /**
     * @param name an environment variable
     * @return its value, or null when unset or blank
     */
    public static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** @return true under CI, where a missing server fails the test */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Fails under CI when a server's variable is missing; elsewhere lets the caller start its own server.
     *
     * @param variable the variable that names the server
     * @param server what the server is
     */
    public static void requireUnlessLocal(String variable, String server) {
        if (env(variable) == null && ci()) {
            throw new IllegalStateException("Cannot run the " + server + " tests: " + variable + " is not set and "
                    + "CI=true. Run `.ci/services.sh install && .ci/services.sh start` and load .cxml-services/env");
        }
    }

    /** @return the s3proxy jar (env, then the path Maven resolved), checked to exist */
    public static Path s3proxyJar() {
        String p = env(S3PROXY_JAR);
        if (p == null) {
            p = System.getProperty("cxml.s3proxy.jar");
        }
        if (p == null || !Files.isRegularFile(Path.of(p))) {
            throw new IllegalStateException("Cannot start s3proxy: its jar was not found at " + p
                    + ". Run `.ci/services.sh install`");
        }
        return Path.of(p);
    }

    /** @return the fakesnow executable (env, then {@code .venv/bin/fakesnow} in the project), checked to exist */
    public static Path fakesnow() {
        String p = env(FAKESNOW);
        Path path = p != null ? Path.of(p) : LocalSpark.projectDir().resolve(".venv/bin/fakesnow");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("Cannot start fakesnow: " + path + " is missing. Run "
                    + "`.ci/services.sh install`");
        }
        return path;
    }
}
