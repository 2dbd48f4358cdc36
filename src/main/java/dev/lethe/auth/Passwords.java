package dev.lethe.auth;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Hashes and checks operators' console passwords with Argon2id (OWASP's first choice for
 * password storage). The hash is a PHC string that carries its own salt and parameters, so
 * raising the parameters later still verifies older hashes.
 */
public final class Passwords {

    /** Shorter passwords are refused; longer ones are the operator's business. */
    public static final int MIN_LENGTH = 12;
    /** Argon2 takes any length, but an unbounded input is free CPU for whoever sends it. */
    public static final int MAX_LENGTH = 1024;

    // why: 16-byte salt, 32-byte hash, one lane, 19 MiB, 2 passes: OWASP's Argon2id minimum, about 50 ms here
    private static final Argon2PasswordEncoder ENCODER = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    /** Checked against when the account is unknown, so a miss costs what a wrong password costs. */
    private static final String DECOY = ENCODER.encode("decoy password that matches nothing");

    private Passwords() {
    }

    /** Refuses a password too short or too long to be accepted; the message never repeats it. */
    public static void requireAcceptable(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw new IllegalArgumentException("a password needs at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a password may have at most " + MAX_LENGTH + " characters");
        }
    }

    public static String hash(String password) {
        requireAcceptable(password);
        return ENCODER.encode(password);
    }

    /** Whether the password matches the stored hash; a null hash (no password set) costs the same and fails. */
    public static boolean matches(String password, String hash) {
        if (password == null || password.length() > MAX_LENGTH) {
            return false;
        }
        boolean ok = ENCODER.matches(password, hash == null ? DECOY : hash);
        return ok && hash != null;
    }
}
