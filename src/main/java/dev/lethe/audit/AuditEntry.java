package dev.lethe.audit;

/**
 * One line of the audit log (docs/console.md lists the fields). {@code idHashes} are keyed
 * hashes of the distinct ids the request named, never the ids; null where none apply.
 *
 * @param actorKind  {@code user} (GDPR token or console session), {@code service_account}, or {@code link} (a signed download link)
 * @param channel    {@code api}, {@code console} or {@code download}
 */
public record AuditEntry(long id, long at, Long projectId, String action, String taskKind, String trackingId,
                         String actor, String actorKind, String channel, String ip, String outcome, int idCount,
                         java.util.List<String> idHashes) {
}
