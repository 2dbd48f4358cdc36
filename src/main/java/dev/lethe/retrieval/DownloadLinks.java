package dev.lethe.retrieval;

import dev.lethe.crypto.InstanceKey;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.task.TrackingId;

import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The signed download link of a retrieval:
 * {@code <base>/downloads/<tracking_id>.zip?expires=<epoch s>&signature=<hmac>}, or {@code ""}
 * while there is no live archive. The signature covers the file name and the expiry, so
 * neither can be changed without the instance key.
 */
public final class DownloadLinks implements Function<Task, String> {

    private final InstanceKey key;
    private final Clock clock;
    private final Supplier<String> baseUrl;

    /** @param baseUrl the public URL of the instance, without a trailing slash */
    public DownloadLinks(InstanceKey key, Clock clock, Supplier<String> baseUrl) {
        this.key = key;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    @Override
    public String apply(Task t) {
        boolean live = t.kind() == TaskKind.RETRIEVAL && t.status() == TaskStatus.SUCCESS && !t.resultPurged()
                && t.resultPath() != null && t.resultExpiresAt() != null && t.resultExpiresAt() > clock.millis()
                && TrackingId.isValid(t.trackingId());
        if (!live) {
            return "";
        }
        // why: rounded down, so the link never outlives the archive it points to.
        long expires = t.resultExpiresAt() / 1000;
        String file = t.trackingId() + ".zip";
        return baseUrl.get() + "/downloads/" + file + "?expires=" + expires + "&signature=" + key.sign(message(file, expires));
    }

    /** Whether the signature was made by this instance for this file and expiry (constant-time). */
    public boolean verify(String file, long expires, String signature) {
        return key.verify(message(file, expires), signature);
    }

    private static String message(String file, long expires) {
        return "download:" + file + ":" + expires;
    }
}
