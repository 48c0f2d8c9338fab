package io.cxml.jobs;

import io.cxml.jobs.config.ConfigLoader;
import io.cxml.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that drive cxml as a user does: {@code cxml ...} command lines with the repo's {@code conf/},
 * stdout and stderr captured per command.
 */
public abstract class CliTestBase {
    protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
    protected final ByteArrayOutputStream err = new ByteArrayOutputStream();
    protected PrintStream stdout;
    protected PrintStream stderr;

    @BeforeEach
    void captureConsole() {
        System.setProperty(ConfigLoader.CONF_DIR_PROPERTY, LocalSpark.projectDir().resolve("conf").toString());
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreConsole() {
        System.setOut(stdout);
        System.setErr(stderr);
        System.clearProperty(ConfigLoader.CONF_DIR_PROPERTY);
    }

    /**
     * Runs one command line with fresh captures.
     *
     * @param args the arguments after {@code cxml}
     * @return the exit code
     */
    protected int cxml(String... args) {
        out.reset();
        err.reset();
        return Cxml.run(args);
    }

    /** @return what the last command printed to stdout */
    protected String stdoutText() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** @return what the last command printed to stderr */
    protected String stderrText() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
