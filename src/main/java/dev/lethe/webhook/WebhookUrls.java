package dev.lethe.webhook;

import dev.lethe.domain.DomainException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The receiver addresses Lethe accepts: absolute http or https URLs with a host. Where they may point
 * (an internal address, say) is the trusted administrator's choice; docs/operations.md says so.
 */
public final class WebhookUrls {

    /** Long enough for any real endpoint, short enough to keep a typo'd paste out of the store. */
    static final int MAX_LENGTH = 2048;

    private WebhookUrls() {
    }

    public static URI require(String url) {
        if (url == null || url.isBlank()) {
            throw DomainException.invalidInput("the webhook URL must not be empty");
        }
        String trimmed = url.trim();
        if (trimmed.length() > MAX_LENGTH) {
            throw DomainException.invalidInput("the webhook URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw DomainException.invalidInput("the webhook URL is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw DomainException.invalidInput("the webhook URL must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw DomainException.invalidInput("the webhook URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            // why: credentials in the URL would sit in the store in clear and show in `webhook list`.
            throw DomainException.invalidInput("the webhook URL must not carry a user or password; the signature authenticates Lethe");
        }
        return uri;
    }
}
