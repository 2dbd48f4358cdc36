package dev.lethe.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link Json#readTree} reads numbers a double cannot hold: never as a number the client did not send. */
class UntrustedNumbersTest {

    private static JsonNode read(String json) throws Exception {
        return Json.readTree(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_float_too_small_for_a_double_reads_as_nan_and_one_too_large_as_an_infinity() throws Exception {
        JsonNode n = read("[1e-400, -2.5E-999, 0.0000e5, 0e-400, -0.0, 1e400, -0.1e99999, 4.9e-324, 1.5]");
        assertThat(n.get(0).doubleValue()).isNaN();
        assertThat(n.get(1).doubleValue()).isNaN();
        assertThat(n.get(2).doubleValue()).isZero();
        assertThat(n.get(3).doubleValue()).isZero();
        assertThat(n.get(4).doubleValue()).isZero();
        assertThat(n.get(5).doubleValue()).isInfinite();
        assertThat(n.get(6).doubleValue()).isInfinite();
        assertThat(n.get(7).doubleValue()).isEqualTo(4.9e-324);
        assertThat(n.get(8).doubleValue()).isEqualTo(1.5);
    }

    @Test
    void reading_a_tree_still_refuses_trailing_tokens_and_reads_nothing_as_missing() throws Exception {
        assertThat(read("  ").isMissingNode()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> read("{} {}"))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }
}
