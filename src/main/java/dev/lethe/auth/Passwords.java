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

    /**
     * What hashing a new password costs: Argon2id's memory in KiB and its passes. A stored hash carries the
     * cost it was made with, so a check costs what the hash says, and raising the cost keeps older hashes valid.
     */
    public record Cost(int memoryKiB, int passes) {
        /** OWASP's Argon2id minimum: 19 MiB, 2 passes, about 50 ms here; the production default. */
        public static final Cost OWASP_MINIMUM = new Cost(19 * 1024, 2);

        public Cost {
            if (memoryKiB < 8 || passes < 1) {
                throw new IllegalArgumentException("Argon2 needs at least 8 KiB and 1 pass");
            }
        }
    }

    private final Argon2PasswordEncoder encoder;
    /**
     * Checked against when the account is unknown, so a miss costs what a wrong password costs. Made on first
     * need: every admin command and every start builds a {@code Passwords}, and most never check one.
     */
    private volatile String decoy;

    public Passwords(Cost cost) {
        // why: 16-byte salt, 32-byte hash, one lane
        this.encoder = new Argon2PasswordEncoder(16, 32, 1, cost.memoryKiB(), cost.passes());
    }

    private String decoy() {
        String d = decoy;
        if (d == null) {
            d = encoder.encode("decoy password that matches nothing");
            decoy = d;
        }
        return d;
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

    public String hash(String password) {
        requireAcceptable(password);
        return encoder.encode(password);
    }

    /** Whether the password matches the stored hash; a null hash (no password set) costs the same and fails. */
    public boolean matches(String password, String hash) {
        if (password == null || password.length() > MAX_LENGTH) {
            return false;
        }
        boolean ok = encoder.matches(password, hash == null ? decoy() : hash);
        return ok && hash != null;
    }
}
