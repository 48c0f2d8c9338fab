package io.cxml.warehouse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How cxml signs in to Snowflake, as snowflake-jdbc connection properties: key pair (an encrypted PKCS#8 private key
 * from a file or from the key text itself, its passphrase from the environment), a programmatic access token, or a
 * password (development only: Snowflake is retiring single-factor passwords for service users). Exactly one method
 * may be set. Every value that is a secret goes into properties whose names {@link JdbcEndpoint} redacts; none is
 * ever logged.
 *
 * @param password the password, or null
 * @param privateKeyFile path of the PEM file ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}), or null
 * @param privateKey the PEM text itself, or its base64 (e.g. from {@code SNOWFLAKE_PRIVATE_KEY}), or null
 * @param passphrase the private key's passphrase, or null for an unencrypted key
 * @param token a programmatic access token, or null
 */
public record SnowflakeSignIn(String password, String privateKeyFile, String privateKey, String passphrase,
        String token) {
    /** snowflake-jdbc property names and values. */
    public static final String AUTHENTICATOR = "authenticator";
    public static final String KEY_PAIR = "SNOWFLAKE_JWT";
    public static final String ACCESS_TOKEN = "PROGRAMMATIC_ACCESS_TOKEN";
    public static final String PRIVATE_KEY_FILE = "private_key_file";
    public static final String PRIVATE_KEY_BASE64 = "private_key_base64";
    public static final String PRIVATE_KEY_PASSPHRASE = "private_key_pwd";
    public static final String TOKEN = "token";

    /** Blank values count as unset. */
    public SnowflakeSignIn {
        password = blankToNull(password);
        privateKeyFile = blankToNull(privateKeyFile);
        privateKey = blankToNull(privateKey);
        passphrase = blankToNull(passphrase);
        token = blankToNull(token);
    }

    /**
     * Sets the sign-in on an endpoint builder.
     *
     * @param endpoint the builder (URL and user already set)
     * @param what which connection, for messages, e.g. {@code cxml.snowflake}
     * @return the builder
     * @throws IllegalArgumentException naming the keys to fix when the settings are contradictory or incomplete
     */
    public JdbcEndpoint.Builder applyTo(JdbcEndpoint.Builder endpoint, String what) {
        List<String> methods = new ArrayList<>();
        if (privateKeyFile != null) {
            methods.add(what + ".private-key-file");
        }
        if (privateKey != null) {
            methods.add(what + ".private-key");
        }
        if (token != null) {
            methods.add(what + ".token");
        }
        if (password != null) {
            methods.add(what + ".password");
        }
        if (methods.size() > 1) {
            throw new IllegalArgumentException("Cannot sign in to Snowflake: " + String.join(", ", methods)
                    + " are all set. Set exactly one sign-in method (key pair, token or password)");
        }
        if (passphrase != null && privateKeyFile == null && privateKey == null) {
            throw new IllegalArgumentException("Cannot sign in to Snowflake: " + what + ".private-key-passphrase is"
                    + " set without a key. Set " + what + ".private-key-file or " + what + ".private-key too");
        }
        if (privateKeyFile != null) {
            if (!Files.isReadable(Path.of(privateKeyFile))) {
                throw new IllegalArgumentException("Cannot sign in to Snowflake: private key file " + privateKeyFile
                        + " does not exist or is not readable. Fix " + what + ".private-key-file");
            }
            endpoint.optProperty(AUTHENTICATOR, KEY_PAIR).optProperty(PRIVATE_KEY_FILE, privateKeyFile);
        } else if (privateKey != null) {
            String base64 = privateKey.startsWith("-----BEGIN")
                    ? Base64.getEncoder().encodeToString(privateKey.getBytes(StandardCharsets.US_ASCII))
                    : privateKey.replaceAll("\\s+", "");
            endpoint.optProperty(AUTHENTICATOR, KEY_PAIR).optProperty(PRIVATE_KEY_BASE64, base64);
        }
        if (privateKeyFile != null || privateKey != null) {
            boolean encrypted = privateKeyFile != null ? fileSaysEncrypted(privateKeyFile) : textSaysEncrypted();
            if (encrypted && passphrase == null) {
                throw new IllegalArgumentException("Cannot sign in to Snowflake: the private key is encrypted and "
                        + "no passphrase is set. Set " + what + ".private-key-passphrase (from an environment "
                        + "variable)");
            }
            endpoint.optProperty(PRIVATE_KEY_PASSPHRASE, passphrase);
        } else if (token != null) {
            endpoint.optProperty(AUTHENTICATOR, ACCESS_TOKEN).optProperty(TOKEN, token);
        } else {
            endpoint.optPassword(password);
        }
        return endpoint;
    }

    private boolean textSaysEncrypted() {
        String pem = privateKey.startsWith("-----BEGIN") ? privateKey
                : new String(Base64.getMimeDecoder().decode(privateKey), StandardCharsets.US_ASCII);
        return pem.contains("ENCRYPTED");
    }

    private static boolean fileSaysEncrypted(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII).contains("ENCRYPTED");
        } catch (java.io.IOException e) {
            return false; // the driver reports an unreadable key itself
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** @return which method is used, without any secret */
    @Override
    public String toString() {
        return "SnowflakeSignIn{" + (privateKeyFile != null ? "key pair from " + privateKeyFile
                : privateKey != null ? "key pair from the environment" : token != null ? "access token"
                : password != null ? "password" : "none") + "}";
    }
}
