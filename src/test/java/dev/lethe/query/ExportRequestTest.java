package dev.lethe.query;

import dev.lethe.domain.DomainException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The export's parameters as Mixpanel names them: what is read, and the words of each refusal. */
class ExportRequestTest {

    private static ExportRequest parse(String from, String to, String event, String limit) {
        return ExportRequest.parse(from, to, event, null, limit, null);
    }

    @Test
    void dates_are_exactly_yyyy_mm_dd_from_the_epoch_to_year_9999() {
        assertThat(parse("1970-01-01", "9999-12-31", null, null).fromMs()).isZero();
        for (String bad : new String[] {"-0001-01-01", "0000-01-01", "1969-12-31", "+2024-01-01", "12024-01-01", " 2024-01-01",
                "2024-01-01 ", "2024-1-01", "2024-02-30"}) {
            assertThatThrownBy(() -> parse(bad, "2024-12-31", null, null)).as(bad)
                    .isInstanceOf(DomainException.class)
                    .hasMessage("from_date must be a date as yyyy-mm-dd from 1970-01-01 to 9999-12-31");
        }
        assertThatThrownBy(() -> parse("2024-01-01", "2024-01-01\n", null, null)).hasMessageStartingWith("to_date must be a date");
    }

    @Test
    void an_empty_event_list_is_refused_rather_than_exporting_nothing() {
        assertThatThrownBy(() -> parse("2024-01-01", "2024-01-01", "[]", null))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("event is an empty list");
        assertThat(parse("2024-01-01", "2024-01-01", null, null).events()).isNull();
    }

    @Test
    void a_limit_past_an_int_is_refused_with_the_allowed_range() {
        for (String bad : new String[] {"1000000000000", "99999999999999999999999", "-1000000000000", "0", "100001"}) {
            assertThatThrownBy(() -> parse("2024-01-01", "2024-01-01", null, bad)).as(bad)
                    .hasMessage("limit must be between 1 and 100000");
        }
        assertThatThrownBy(() -> parse("2024-01-01", "2024-01-01", null, "1e3")).hasMessage("limit must be an integer between 1 and 100000");
        assertThat(parse("2024-01-01", "2024-01-01", null, " 00000000000000000000007 ").limit()).isEqualTo(7);
    }
}
