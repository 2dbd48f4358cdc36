package dev.lethe.ingest;

import dev.lethe.identity.LinkKind;

/**
 * A link an event claims between two ids; {@link IdentityLinker} decides whether it is made, in the
 * transaction that stores the event. What {@code a} and {@code b} are depends on the kind:
 * IDENTIFY and DEVICE: {@code a} the anonymous id, {@code b} the identified one; ALIAS: {@code a}
 * the alias, {@code b} the {@code distinct_id}; MERGE: the two {@code $distinct_ids} in their order.
 */
public record IdentityLink(String a, String b, LinkKind kind) {
}
