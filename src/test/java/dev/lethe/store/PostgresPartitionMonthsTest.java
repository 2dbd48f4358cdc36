package dev.lethe.store;

import dev.lethe.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;

import static org.assertj.core.api.Assertions.assertThat;

/** Which monthly partitions a batch of event times asks for; no database needed. */
class PostgresPartitionMonthsTest {

    private final PostgresDialect dialect = new PostgresDialect(MutableClock.at("2026-11-28T09:15:02Z"));

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void a_batch_within_some_months_asks_for_each_of_them() {
        assertThat(dialect.monthsFor(ms("2026-10-31T23:59:59.999Z"), ms("2027-01-01T00:00:00Z")))
                .containsExactly(YearMonth.of(2026, 10), YearMonth.of(2026, 11), YearMonth.of(2026, 12), YearMonth.of(2027, 1));
    }

    @Test
    void a_batch_spanning_decades_asks_only_for_its_first_and_last_month() {
        assertThat(dialect.monthsFor(ms("1990-01-01T00:00:00Z"), ms("2026-11-01T00:00:00Z")))
                .containsExactly(YearMonth.of(1990, 1), YearMonth.of(2026, 11));
    }

    @Test
    void months_before_1971_or_over_ten_years_ahead_get_no_partition() {
        assertThat(dialect.monthsFor(ms("1960-01-01T00:00:00Z"), ms("2099-01-01T00:00:00Z"))).isEmpty();
        assertThat(dialect.monthsFor(ms("1970-12-15T00:00:00Z"), ms("1971-01-15T00:00:00Z"))).containsExactly(YearMonth.of(1971, 1));
        assertThat(dialect.monthsFor(ms("2036-11-30T00:00:00Z"), ms("2036-12-01T00:00:00Z"))).containsExactly(YearMonth.of(2036, 11));
    }

    @Test
    void partition_names_and_bounds_follow_the_utc_month() {
        assertThat(PostgresDialect.partitionName(YearMonth.of(2026, 3))).isEqualTo("events_y2026m03");
        assertThat(PostgresDialect.startMs(YearMonth.of(2026, 3))).isEqualTo(ms("2026-03-01T00:00:00Z"));
        assertThat(PostgresDialect.monthOf(ms("2026-02-28T23:59:59.999Z"))).isEqualTo(YearMonth.of(2026, 2));
    }
}
