package dev.lethe.auth;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A generation number that every credential or role change made in this process moves on
 * (a token or service account revoked, a role granted). {@link CallerCache} keeps an entry
 * only while the generation it was filled under is still current, so such a change takes
 * effect on the very next request.
 */
public final class CredentialChanges {

    private static final CredentialChanges THIS_PROCESS = new CredentialChanges();

    private final AtomicLong generation = new AtomicLong();

    /**
     * The one every store of this JVM reports to, so that a change made through any of them
     * (the server's, or an admin command run in the same JVM) reaches every server's cache.
     */
    public static CredentialChanges inThisProcess() {
        return THIS_PROCESS;
    }

    /** The current generation: read it before reading credentials from the store. */
    public long current() {
        return generation.get();
    }

    /** Called after a change is committed. */
    public void changed() {
        generation.incrementAndGet();
    }
}
