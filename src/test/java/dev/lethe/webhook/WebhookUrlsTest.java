package dev.lethe.webhook;

import dev.lethe.domain.DomainException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookUrlsTest {

    @Test
    void http_and_https_urls_with_a_host_are_accepted() {
        assertThat(WebhookUrls.require(" https://privacy.example.com/hooks/lethe?x=1 ").toString())
                .isEqualTo("https://privacy.example.com/hooks/lethe?x=1");
        assertThat(WebhookUrls.require("HTTP://127.0.0.1:8080/").getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void other_schemes_and_broken_urls_are_refused_saying_why() {
        assertRefused("ftp://example.com/x", "must start with http:// or https://");
        assertRefused("file:///etc/passwd", "must start with http:// or https://");
        assertRefused("example.com/hook", "must start with http:// or https://");
        assertRefused("https:///nohost", "has no host");
        assertRefused("https://exa mple.com", "not a valid URL");
        assertRefused("https://user:pw@example.com/", "must not carry a user or password");
        assertRefused("", "must not be empty");
        assertRefused("https://example.com/" + "a".repeat(3000), "longer than");
    }

    @Test
    void unknown_events_are_refused_naming_the_known_ones() {
        assertThat(WebhookEvent.parseList(" task.finished , TASK.CREATED")).containsExactlyInAnyOrder(
                WebhookEvent.FINISHED, WebhookEvent.CREATED);
        assertThat(WebhookEvent.parseList(null)).hasSize(WebhookEvent.values().length);
        assertThatThrownBy(() -> WebhookEvent.parseList("task.done"))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("unknown webhook event \"task.done\"").hasMessageContaining("task.finished");
        assertThatThrownBy(() -> WebhookEvent.parseList(" , ")).isInstanceOf(DomainException.class);
    }

    private static void assertRefused(String url, String message) {
        assertThatThrownBy(() -> WebhookUrls.require(url)).isInstanceOf(DomainException.class).hasMessageContaining(message);
    }
}
