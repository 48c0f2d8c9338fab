package io.cxml.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.LogCapture;
import io.cxml.testing.WarehouseTestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key-pair and access-token sign-in through the real snowflake-jdbc driver to fakesnow. The driver decrypts the
 * encrypted PKCS#8 key and signs its JWT on the client, so a wrong passphrase fails here; fakesnow accepts any
 * login, so it does not check the JWT against a registered public key, nor the token (see docs/storage.md).
 */
class SnowflakeSignInTest {
    private static final String PBE = "PBEWithHmacSHA256AndAES_256";

    @TempDir
    static Path dir;

    private static JdbcEndpoint server;
    private static String passphrase;
    private static String pem;
    private static Path keyFile;

    @BeforeAll
    static void keyAndServer() throws Exception {
        server = WarehouseTestServers.snowflake("cxml_signin");
        passphrase = "pass-" + UUID.randomUUID();
        pem = encryptedPkcs8(passphrase.toCharArray());
        keyFile = dir.resolve("rsa_key.p8");
        Files.writeString(keyFile, pem);
        // As a real key file should be (the driver warns about keys readable by others).
        Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void keyPairFromAFileSignsInAndNoSecretIsLogged() throws Exception {
        String log = signInAndLog(new SnowflakeSignIn(null, keyFile.toString(), null, passphrase, null));
        assertThat(log).contains("SNOWFLAKE_JWT");
        assertNoSecret(log, passphrase, pemBody(), Base64.getEncoder().encodeToString(pem.getBytes()));
    }

    @Test
    void keyPairFromTheEnvironmentSignsIn() throws Exception {
        String log = signInAndLog(new SnowflakeSignIn(null, null, pem, passphrase, null));
        assertThat(log).contains("SNOWFLAKE_JWT");
        assertNoSecret(log, passphrase, pemBody(), Base64.getEncoder().encodeToString(pem.getBytes()));
        // The base64 form of the key file (what some secret stores hold) works too.
        signInAndLog(new SnowflakeSignIn(null, null, Base64.getEncoder().encodeToString(pem.getBytes()),
                passphrase, null));
    }

    @Test
    void aWrongPassphraseFailsInTheDriver() {
        JdbcEndpoint e = endpoint(new SnowflakeSignIn(null, keyFile.toString(), null, "not-the-passphrase", null));
        assertThatThrownBy(() -> {
            try (Connection c = e.connect()) {
                c.isValid(1);
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("Private key provided is invalid");
    }

    @Test
    void programmaticAccessTokenSignsInAndIsNotLogged() throws Exception {
        String token = "pat-" + UUID.randomUUID();
        String log = signInAndLog(new SnowflakeSignIn(null, null, null, null, token));
        assertThat(log).contains("PROGRAMMATIC_ACCESS_TOKEN");
        assertNoSecret(log, token);
        assertThat(endpoint(new SnowflakeSignIn(null, null, null, null, token)).toString()).doesNotContain(token);
    }

    @Test
    void contradictoryOrIncompleteSettingsNameTheKeys() {
        JdbcEndpoint.Builder b = JdbcEndpoint.builder().setUrl("jdbc:snowflake://acme.snowflakecomputing.com/");
        assertThatThrownBy(() -> new SnowflakeSignIn("pw", keyFile.toString(), null, passphrase, null)
                .applyTo(b, "cxml.snowflake")).hasMessage("Cannot sign in to Snowflake: cxml.snowflake.private-key-file,"
                        + " cxml.snowflake.password are all set. Set exactly one sign-in method (key pair, token or"
                        + " password)");
        assertThatThrownBy(() -> new SnowflakeSignIn(null, keyFile.toString(), null, null, null)
                .applyTo(b, "cxml.warehouse")).hasMessageStartingWith("Cannot sign in to Snowflake: the private key "
                        + "is encrypted and no passphrase is set. Set cxml.warehouse.private-key-passphrase");
        assertThatThrownBy(() -> new SnowflakeSignIn(null, dir.resolve("missing.p8").toString(), null, passphrase,
                null).applyTo(b, "cxml.snowflake")).hasMessageContaining("does not exist or is not readable");
    }

    private static String signInAndLog(SnowflakeSignIn signIn) throws Exception {
        JdbcEndpoint e = endpoint(signIn);
        try (LogCapture capture = LogCapture.start("net.snowflake", "io.cxml")) {
            try (Connection c = e.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            org.slf4j.LoggerFactory.getLogger(SnowflakeSignInTest.class).info("Endpoint: {}", e);
            return capture.text();
        }
    }

    private static JdbcEndpoint endpoint(SnowflakeSignIn signIn) {
        JdbcEndpoint.Builder b = JdbcEndpoint.builder().setUrl(server.url()).optUser(server.user());
        for (Map.Entry<Object, Object> p : server.properties().entrySet()) {
            if (!p.getKey().equals("user") && !p.getKey().equals("password")) {
                b.optProperty(p.getKey().toString(), p.getValue().toString());
            }
        }
        return signIn.applyTo(b, "cxml.snowflake").build();
    }

    private static void assertNoSecret(String log, String... secrets) {
        assertThat(log.lines().count()).as("captured lines").isGreaterThan(10);
        for (String secret : secrets) {
            assertThat(log.contains(secret)).as("a secret of %d chars appears in the log", secret.length()).isFalse();
        }
    }

    private static String pemBody() {
        // A line of the key's base64 body: long enough to be unique.
        return pem.lines().skip(2).findFirst().orElseThrow();
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        return concat(new byte[] {(byte) tag}, concat(length, content));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** An RSA key as encrypted PKCS#8 PEM (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), as openssl pkcs8 -v2 aes256. */
    static String encryptedPkcs8(char[] passphrase) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        byte[] plain = g.generateKeyPair().getPrivate().getEncoded();
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance(PBE);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(PBE).generateSecret(new PBEKeySpec(passphrase)),
                new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(plain);
        AlgorithmParameters params = cipher.getParameters();
        // EncryptedPrivateKeyInfo(params, bytes) rejects PBES2 names on Java 17: write its DER directly,
        // SEQUENCE { SEQUENCE { OID pbes2, PBES2-params }, OCTET STRING encrypted }.
        byte[] pbes2 = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};
        byte[] der = der(0x30, concat(der(0x30, concat(pbes2, params.getEncoded())), der(0x04, encrypted)));
        new EncryptedPrivateKeyInfo(der); // parses: the structure is right
        return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END ENCRYPTED PRIVATE KEY-----\n";
    }
}
