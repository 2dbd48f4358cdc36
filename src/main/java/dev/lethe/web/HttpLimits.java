package dev.lethe.web;

import java.time.Duration;

/**
 * What a slow client may cost the HTTP server. A request body that arrives more slowly than
 * {@code minRequestDataRate} bytes a second (measured from its first byte) is refused with 408,
 * and a request blocked in one read for longer than {@code readTimeout} is given up, so a client
 * trickling a byte every few seconds holds a request thread for about a second, not for as long as
 * it keeps trickling.
 *
 * @param maxThreads         request threads (Jetty's pool)
 * @param readTimeout        the longest one blocking read or write of a request may wait
 * @param minRequestDataRate the slowest body accepted, in bytes a second; 0 turns the check off
 * @param shutdownIdleTimeout at shutdown, how long a connection may sit idle before it is closed; a browser keeps
 *                           its connections open between requests, and the server's stop waits for them to close
 */
public record HttpLimits(int maxThreads, Duration readTimeout, long minRequestDataRate, Duration shutdownIdleTimeout) {

    public static final int DEFAULT_HTTP_THREADS = 250;
    public static final int DEFAULT_HTTP_READ_TIMEOUT_SECONDS = 10;
    /**
     * Jetty measures the rate from the body's first byte to each read by the handler, so a small body read late (a
     * busy thread pool) looks slow: at 512 B/s a 100-byte body read 0.2 s late was refused with 408 in the tests.
     * At 64 B/s that takes a 1.5 s queue, while a client trickling a few bytes a second is still cut off.
     */
    public static final long DEFAULT_MIN_REQUEST_DATA_RATE = 64;

    /** Jetty's own default: a request still in flight at shutdown is not cut off for a short pause in its I/O. */
    public static final Duration DEFAULT_SHUTDOWN_IDLE_TIMEOUT = Duration.ofSeconds(1);

    public static final HttpLimits DEFAULT = new HttpLimits(DEFAULT_HTTP_THREADS,
            Duration.ofSeconds(DEFAULT_HTTP_READ_TIMEOUT_SECONDS), DEFAULT_MIN_REQUEST_DATA_RATE, DEFAULT_SHUTDOWN_IDLE_TIMEOUT);
}
