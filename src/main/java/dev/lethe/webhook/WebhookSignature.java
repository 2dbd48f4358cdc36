package dev.lethe.webhook;

import dev.lethe.crypto.Secrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com): HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>} with the key the secret {@code whsec_<base64>}
 * encodes, sent as {@code v1,<base64>}. Receivers verify it with the specification's libraries.
 */
public final class WebhookSignature {

    static final String SECRET_PREFIX = "whsec_";
    /** The specification asks for 24 to 64 bytes of key. */
    private static final int KEY_BYTES = 32;

    private WebhookSignature() {
    }

    /** A new secret in the specification's serialization. */
    public static String newSecret() {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(Secrets.randomBytes(KEY_BYTES));
    }

    /** The {@code webhook-signature} header value for one attempt. */
    public static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
