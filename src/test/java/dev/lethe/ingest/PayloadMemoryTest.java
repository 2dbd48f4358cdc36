package dev.lethe.ingest;

import dev.lethe.domain.DomainException;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a hostile 10 MiB body costs the parsers in allocated heap, measured per thread (not in
 * time): it must stay a small multiple of the body, not the hundreds of MiB a tree of millions of
 * empty objects or a map of a million form keys took.
 */
class PayloadMemoryTest {

    private static final int TEN_MIB = 10 * 1024 * 1024;
    private static final long BUDGET = 48L * 1024 * 1024;

    private static long allocated(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    private static byte[] repeated(String first, String unit, String last) {
        StringBuilder sb = new StringBuilder(TEN_MIB + 16).append(first);
        while (sb.length() + unit.length() + last.length() <= TEN_MIB) {
            sb.append(unit);
        }
        return sb.append(last).toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long refusedCost(Supplier<?> parse, String message) {
        return allocated(() -> assertThatThrownBy(parse::get).isInstanceOf(DomainException.class).hasMessageContaining(message));
    }

    @Test
    void ten_mebibytes_of_empty_objects_are_counted_not_built() {
        byte[] body = repeated("[{}", ",{}", "]");
        long cost = refusedCost(() -> Batches.read(body, "the body"), "at most 2000 records");
        assertThat(cost).as("bytes allocated for a %d-byte body", body.length).isLessThan(BUDGET);
    }

    @Test
    void ten_mebibytes_of_empty_ndjson_lines_are_counted_not_built() {
        byte[] body = repeated("{}", "\n{}", "\n");
        long cost = refusedCost(() -> Batches.readNdjson(body), "at most 2000 records");
        assertThat(cost).isLessThan(BUDGET);
    }

    @Test
    void ten_mebibytes_of_unique_form_keys_stop_at_the_key_limit() {
        StringBuilder sb = new StringBuilder(TEN_MIB + 16).append("k0=");
        for (int i = 1; sb.length() < TEN_MIB - 12; i++) {
            sb.append("&k").append(i).append('=');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        long cost = refusedCost(() -> FormCodec.parseRaw(Utf8.decode(body, "the form body")), "more than 1000 parameters");
        // why: the decoded text of the body is needed whatever the keys (3 bytes a byte at most); the map is not.
        assertThat(cost).isLessThan(BUDGET);
    }

    @Test
    void nesting_deeper_than_the_bound_is_refused_while_parsing() {
        String deep = "[".repeat(998) + "]".repeat(998);
        byte[] body = ("{\"$token\":\"t\",\"$distinct_id\":\"u\",\"$append\":{\"x\":" + deep + "}}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Batches.read(body, "the body")).isInstanceOf(DomainException.class)
                .hasMessageContaining("nests deeper than");
    }
}
