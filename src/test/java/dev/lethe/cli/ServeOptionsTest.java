package dev.lethe.cli;

import dev.lethe.config.LetheConfig;
import dev.lethe.ratelimit.ReadQuota;
import dev.lethe.store.StoreConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code lethe serve}'s options: no default of its own, each flag replaces one of {@link LetheConfig}'s. */
class ServeOptionsTest {

    private static LetheConfig parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void without_flags_the_config_is_the_builders_defaults() {
        LetheConfig parsed = parse("--data-dir", "/tmp/lethe-x");
        assertThat(parsed).isEqualTo(LetheConfig.builder(StoreConfig.sqlite(Path.of("/tmp/lethe-x"))).build());
        assertThat(parsed.port()).isEqualTo(LetheConfig.DEFAULT_PORT);
        assertThat(parsed.rateLimitBurst()).isEqualTo(LetheConfig.DEFAULT_RATE_LIMIT_BURST);
        assertThat(parsed.tls()).isNull();
        assertThat(parsed.maxPersonIds()).as("Mixpanel's cap on a merged person").isEqualTo(500);
        assertThat(parsed.http().shutdownIdleTimeout()).as("Jetty's own").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void each_flag_replaces_its_default() {
        LetheConfig parsed = parse("--data-dir", "/tmp/lethe-x", "--port", "9090", "--rate-limit-burst", "7",
                "--archive-ttl-days", "2", "--tls-cert", "/etc/lethe/cert.pem", "--tls-key", "/etc/lethe/key.pem");
        assertThat(parsed.port()).isEqualTo(9090);
        assertThat(parsed.rateLimitBurst()).isEqualTo(7);
        assertThat(parsed.archiveTtl()).isEqualTo(Duration.ofDays(2));
        assertThat(parsed.tls()).isEqualTo(new LetheConfig.Tls(Path.of("/etc/lethe/cert.pem"), Path.of("/etc/lethe/key.pem")));
        assertThat(parsed.workers()).isEqualTo(LetheConfig.DEFAULT_WORKERS);
    }

    @Test
    void a_certificate_without_its_key_is_refused() {
        assertThatThrownBy(() -> parse("--tls-cert", "/etc/lethe/cert.pem"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessage("--tls-cert and --tls-key go together");
    }

    @Test
    void log_format_and_metrics_token_are_options_with_their_defaults_in_the_config() {
        assertThat(parse("--data-dir", "/tmp/lethe-x").logFormat()).isEqualTo(LetheConfig.LogFormat.parse(LetheConfig.DEFAULT_LOG_FORMAT));
        assertThat(parse("--data-dir", "/tmp/lethe-x").metricsToken()).isNull();
        LetheConfig parsed = parse("--data-dir", "/tmp/lethe-x", "--log-format", "json", "--metrics-token", "scrape-me");
        assertThat(parsed.logFormat()).isEqualTo(LetheConfig.LogFormat.JSON);
        assertThat(parsed.metricsToken()).isEqualTo("scrape-me");
        assertThatThrownBy(() -> parse("--log-format", "xml"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("use text or json");
    }

    @Test
    void read_quotas_take_an_hourly_cap_and_a_concurrency_each_and_refuse_impossible_values() {
        LetheConfig parsed = parse("--data-dir", "/tmp/lethe-x", "--export-hourly-limit", "60", "--query-concurrency", "2");
        assertThat(parsed.exportQuota()).isEqualTo(new ReadQuota(60, LetheConfig.DEFAULT_EXPORT_CONCURRENCY));
        assertThat(parsed.queryQuota()).isEqualTo(new ReadQuota(LetheConfig.DEFAULT_QUERY_HOURLY_LIMIT, 2));
        assertThatThrownBy(() -> parse("--export-concurrency", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessage("--export-concurrency must be at least 1");
        assertThatThrownBy(() -> parse("--query-hourly-limit", "-1"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessage("--query-hourly-limit must be 0 (none) or positive");
    }
}
