package dev.lethe.ingest;

import dev.lethe.identity.LinkKind;

/** A link an event declares between two ids; stored with the event, in the same transaction. */
public record IdentityLink(String a, String b, LinkKind kind) {
}
