package dev.lethe.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ExportChunks}: the export's next chunk is read on another thread, one ahead of the chunk being written. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ExportChunksTest {

    private static final int SIZE = 3;

    /**
     * Chunks of {@link #SIZE} row ids numbered from 0, {@code total} ids in all, null after the last; counts its reads
     * and their threads.
     */
    private static final class Source implements Function<List<Long>, List<Long>> {
        final int total;
        final AtomicInteger reads = new AtomicInteger();
        final List<String> threads = new ArrayList<>();

        Source(int total) {
            this.total = total;
        }

        @Override
        public synchronized List<Long> apply(List<Long> last) {
            reads.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            long from = last == null ? 0 : last.get(last.size() - 1) + 1;
            List<Long> ids = new ArrayList<>();
            for (long id = from; id < Math.min(total, from + SIZE); id++) {
                ids.add(id);
            }
            return ids.isEmpty() ? null : ids;
        }
    }

    private static ExportChunks<List<Long>> chunks(Function<List<Long>, List<Long>> read) {
        return new ExportChunks<>(read, chunk -> chunk.size() < SIZE);
    }

    private static List<Long> drain(ExportChunks<List<Long>> chunks) {
        List<Long> ids = new ArrayList<>();
        for (List<Long> c = chunks.next(); c != null; c = chunks.next()) {
            ids.addAll(c);
        }
        return ids;
    }

    @Test
    void every_chunk_comes_once_in_order_read_on_another_thread() {
        Source source = new Source(11);
        try (ExportChunks<List<Long>> chunks = chunks(source)) {
            assertThat(drain(chunks)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(chunks.next()).as("after the end").isNull();
        }
        assertThat(source.reads).as("the short fourth chunk is the last: no fifth read").hasValue(4);
        assertThat(source.threads).allMatch(name -> name.equals("lethe-export-reader"));
    }

    @Test
    void no_chunk_after_a_full_one_ends_the_export() {
        Source source = new Source(6);
        try (ExportChunks<List<Long>> chunks = chunks(source)) {
            assertThat(drain(chunks)).hasSize(6);
        }
        assertThat(source.reads).as("two full chunks, then the read that finds none").hasValue(3);
        try (ExportChunks<List<Long>> none = chunks(new Source(0))) {
            assertThat(none.next()).isNull();
        }
    }

    @Test
    void the_reader_stays_at_most_one_chunk_ahead_of_the_writer() {
        Source source = new Source(1_000);
        try (ExportChunks<List<Long>> chunks = chunks(source)) {
            for (int taken = 1; taken <= 5; taken++) {
                chunks.next();
                // why: the reader has now read the taken chunks, one waiting, and at most the one it is handing over
                assertThat(source.reads.get()).isLessThanOrEqualTo(taken + 2);
            }
        }
        int atClose = source.reads.get();
        assertThat(atClose).as("5 taken, one waiting, one being handed over").isLessThanOrEqualTo(7);
        assertThat(source.reads).as("no read after close returned").hasValue(atClose);
    }

    @Test
    void closing_before_the_end_stops_the_reader_waiting_to_hand_over() {
        Source source = new Source(Integer.MAX_VALUE);
        ExportChunks<List<Long>> chunks = chunks(source);
        assertThat(chunks.next()).hasSize(SIZE);
        chunks.close();
        int reads = source.reads.get();
        assertThat(reads).isLessThanOrEqualTo(3);
        assertThat(source.reads).as("the reader has stopped for good").hasValue(reads);
    }

    @Test
    void what_stops_the_reader_is_thrown_to_the_writer() {
        Function<List<Long>, List<Long>> failing = last -> {
            if (last != null) {
                throw new IllegalStateException("store closed");
            }
            return new Source(10).apply(null);
        };
        try (ExportChunks<List<Long>> chunks = chunks(failing)) {
            assertThat(chunks.next()).hasSize(SIZE);
            assertThatThrownBy(chunks::next).isInstanceOf(IllegalStateException.class).hasMessage("store closed");
            assertThat(chunks.next()).as("nothing after the failure").isNull();
        }
    }

    @Test
    void an_error_reaches_the_writer_too_instead_of_leaving_it_waiting() {
        try (ExportChunks<List<Long>> chunks = chunks(last -> {
            throw new StackOverflowError("deep");
        })) {
            assertThatThrownBy(chunks::next).isInstanceOf(StackOverflowError.class);
        }
    }
}
