package dev.lethe.testing;

import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the PBKDF2 keys the PostgreSQL driver derives for SCRAM sign-in, in the test JVMs only: every
 * connection to the test server derives the same salted password (one user, one salt, 4096 rounds), at ~20 ms
 * of CPU a connection without the C2 compiler's SHA instructions: half of the CPU samples of a test JVM running
 * the gdpr, ingest and store tests (JFR). The handshake itself is unchanged: the server still checks the proof
 * of every connection.
 *
 * <p>A security provider ahead of the JDK's, for {@code PBKDF2WithHmacSHA256} alone; a derivation not seen
 * before goes to the JDK's own. Lethe itself derives no PBKDF2 keys, and {@code lethe serve} child processes
 * do not have this provider.
 */
final class SaltedPasswords extends Provider {

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final Map<String, byte[]> DERIVED = new ConcurrentHashMap<>();
    private static boolean installed;

    private SaltedPasswords() {
        super("LetheTestSaltedPasswords", "1", "remembers PBKDF2WithHmacSHA256 keys in Lethe's test JVMs");
        putService(new Service(this, "SecretKeyFactory", ALGORITHM, Factory.class.getName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new Factory();
            }
        });
    }

    /** Puts the provider first, once per JVM. */
    static synchronized void install() {
        if (!installed) {
            Security.insertProviderAt(new SaltedPasswords(), 1);
            installed = true;
        }
    }

    private static final class Factory extends SecretKeyFactorySpi {

        @Override
        protected SecretKey engineGenerateSecret(KeySpec spec) throws InvalidKeySpecException {
            if (!(spec instanceof PBEKeySpec pbe) || pbe.getSalt() == null) {
                return jdk().generateSecret(spec);
            }
            // why: the map's key holds the password, which in the tests is the fixture's own (postgres)
            String key = new String(pbe.getPassword()) + '\0' + Base64.getEncoder().encodeToString(pbe.getSalt())
                    + '\0' + pbe.getIterationCount() + '\0' + pbe.getKeyLength();
            byte[] derived = DERIVED.get(key);
            if (derived == null) {
                derived = jdk().generateSecret(spec).getEncoded();
                DERIVED.put(key, derived);
            }
            return new SecretKeySpec(derived.clone(), ALGORITHM);
        }

        @Override
        protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec) throws InvalidKeySpecException {
            return jdk().getKeySpec(key, keySpec);
        }

        @Override
        protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
            return jdk().translateKey(key);
        }

        private static SecretKeyFactory jdk() {
            try {
                return SecretKeyFactory.getInstance(ALGORITHM, "SunJCE");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
            }
        }
    }
}
