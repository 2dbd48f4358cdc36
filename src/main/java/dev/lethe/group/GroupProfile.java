package dev.lethe.group;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A group profile as stored: which group (key and id), its properties, and when it last changed. */
public record GroupProfile(String groupKey, String groupId, ObjectNode properties, long updatedAt) {
}
