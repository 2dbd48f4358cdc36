package dev.lethe.query;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An export's chunks, read one ahead on a thread of their own: while the request's thread opens and writes one chunk,
 * this one reads the next from the store. On one thread, the store's reads took about half of an export's time. At
 * most three chunks are held: the one being written, one waiting, and the one being read.
 *
 * @param <C> a chunk
 */
final class ExportChunks<C> implements AutoCloseable {

    /** What the reader hands over: a chunk, the end (neither), or why it stopped. */
    private record Item<C>(C chunk, Throwable failure) {
    }

    private static final long HAND_OVER_POLL_MS = 50;

    private final BlockingQueue<Item<C>> ready = new ArrayBlockingQueue<>(1);
    private final Thread reader;
    private volatile boolean closed;
    private boolean ended;

    /**
     * @param read   reads the chunk after the given one (null: the first) on the reader's thread; null when there is none
     * @param isLast whether no chunk follows this one
     */
    ExportChunks(Function<C, C> read, Predicate<C> isLast) {
        this.reader = new Thread(() -> readAll(read, isLast), "lethe-export-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next chunk, or null after the last; rethrows what stopped the reader. */
    C next() {
        if (ended) {
            return null;
        }
        Item<C> item;
        try {
            item = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the export's next chunk", e);
        }
        if (item.failure() != null) {
            ended = true;
            if (item.failure() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) item.failure();
        }
        if (item.chunk() == null) {
            ended = true;
        }
        return item.chunk();
    }

    private void readAll(Function<C, C> read, Predicate<C> isLast) {
        C last = null;
        try {
            while (!closed) {
                C chunk = read.apply(last);
                if (chunk == null) {
                    break;
                }
                if (!handOver(new Item<>(chunk, null))) {
                    return;
                }
                if (isLast.test(chunk)) {
                    break;
                }
                last = chunk;
            }
            handOver(new Item<>(null, null));
        } catch (RuntimeException | Error e) {
            // why: the request's thread waits for an item; without this one it would wait for good
            handOver(new Item<>(null, e));
        }
    }

    /** Waits for room, giving up once the export is closed; returns whether the item was handed over. */
    private boolean handOver(Item<C> item) {
        try {
            while (!closed) {
                if (ready.offer(item, HAND_OVER_POLL_MS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Stops the reader and waits for it, so no read of the store outlives the request (the store may close after the
     * last request): it stops before its next read, or while waiting to hand a chunk over.
     */
    @Override
    public void close() {
        closed = true;
        ready.clear();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
