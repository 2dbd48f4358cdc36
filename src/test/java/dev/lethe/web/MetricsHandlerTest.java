package dev.lethe.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a metrics token, only a scraper on this machine gets {@code /metrics}. */
class MetricsHandlerTest {

    @Test
    void only_loopback_peers_count_as_this_machine() {
        assertThat(MetricsHandler.fromThisMachine("127.0.0.1")).isTrue();
        assertThat(MetricsHandler.fromThisMachine("127.0.0.2")).isTrue();
        assertThat(MetricsHandler.fromThisMachine("::1")).isTrue();
        assertThat(MetricsHandler.fromThisMachine("[::1]")).isTrue();
        assertThat(MetricsHandler.fromThisMachine("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(MetricsHandler.fromThisMachine("10.0.0.5")).isFalse();
        assertThat(MetricsHandler.fromThisMachine("192.0.2.2")).isFalse();
        assertThat(MetricsHandler.fromThisMachine("fd00::2")).isFalse();
        assertThat(MetricsHandler.fromThisMachine("::ffff:203.0.113.9")).isFalse();
        assertThat(MetricsHandler.fromThisMachine(null)).isFalse();
    }
}
