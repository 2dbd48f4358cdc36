package dev.lethe.auth;

import dev.lethe.domain.DomainException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic credentials as Mixpanel's clients send them: {@code base64(user:password)}, the
 * same in plain text (Mixpanel accepts either for service accounts), or {@code base64(secret)}
 * with no colon at all, which some clients send for the project's api_secret.
 *
 * @param user     never empty
 * @param password empty when the client sent none
 * @param colon    whether a colon separated user and password (false for the bare form)
 */
public record BasicCredentials(String user, String password, boolean colon) {

    private static final String MALFORMED = "malformed HTTP Basic credentials";

    /** Whether the header uses the Basic scheme. */
    public static boolean isBasic(String header) {
        return header != null && header.trim().regionMatches(true, 0, "Basic ", 0, 6);
    }

    /**
     * Parses a {@code Basic} Authorization header.
     *
     * @throws DomainException unauthenticated when it is not Basic or cannot be read
     */
    public static BasicCredentials parse(String header) {
        if (!isBasic(header)) {
            throw DomainException.unauthenticated("Authorization must be HTTP Basic");
        }
        String value = header.trim().substring(6).trim();
        if (value.isEmpty()) {
            throw DomainException.unauthenticated(MALFORMED);
        }
        // why: ':' is no base64 character, so a value holding one can only be the plain-text form
        String decoded = value.indexOf(':') >= 0 ? value : decode(value);
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        if (user.isEmpty() || user.indexOf('\0') >= 0) {
            throw DomainException.unauthenticated(MALFORMED);
        }
        return new BasicCredentials(user, colon < 0 ? "" : decoded.substring(colon + 1), colon >= 0);
    }

    private static String decode(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw DomainException.unauthenticated(MALFORMED);
        }
    }

    /** A service account sends a username and a secret; a project secret comes alone. */
    public boolean isServiceAccount() {
        return !password.isEmpty();
    }
}
