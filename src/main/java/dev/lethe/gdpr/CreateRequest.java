package dev.lethe.gdpr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DistinctIds;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.json.ReadLimits;
import dev.lethe.task.DeletionMode;
import dev.lethe.task.TaskKind;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of a create, validated. Repeated ids count once. {@code disclosure} is DATA for
 * GDPR (all of the data) whatever was sent; {@code suppress} and {@code mode} only mean something for
 * deletions (a retrieval's are false and DELETE).
 */
public record CreateRequest(List<String> distinctIds, ComplianceType compliance, DisclosureType disclosure,
                            boolean suppress, DeletionMode mode) {

    public CreateRequest {
        mode = mode == null ? DeletionMode.DELETE : mode;
    }

    public CreateRequest(List<String> distinctIds, ComplianceType compliance, DisclosureType disclosure, boolean suppress) {
        this(distinctIds, compliance, disclosure, suppress, DeletionMode.DELETE);
    }

    public static final int MAX_IDS = 2000;
    public static final int MAX_ID_LENGTH = DistinctIds.MAX_LENGTH;

    /** Parses and validates a create body; every violation is a 400 naming the field. */
    public static CreateRequest parse(byte[] body, TaskKind kind) {
        String text;
        try {
            // why: JSON is UTF-8; a lenient decode would queue a task for ids with U+FFFD in place of the bytes sent.
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw DomainException.invalidInput("malformed JSON body: not valid UTF-8");
        }
        JsonNode root;
        try {
            root = text.isBlank() ? null : Json.UNTRUSTED.readTree(text);
        } catch (StreamConstraintsException e) {
            throw DomainException.invalidInput("malformed JSON body: " + ReadLimits.describe(e, "it"));
        } catch (JsonProcessingException e) {
            throw DomainException.invalidInput("malformed JSON body");
        }
        if (root == null || !root.isObject()) {
            throw DomainException.invalidInput("the body must be a JSON object");
        }
        List<String> ids = distinctIds(root.get("distinct_ids"));
        ComplianceType compliance = ComplianceType.parse(text(root, "compliance_type", "GDPR"));
        DisclosureType disclosure = DisclosureType.parse(text(root, "disclosure_type", "Data"));
        JsonNode suppress = root.get("suppress");
        if (suppress != null && !suppress.isNull() && !suppress.isBoolean()) {
            throw DomainException.invalidInput("suppress must be true or false");
        }
        DeletionMode mode = kind == TaskKind.DELETION ? mode(text(root, "mode", DeletionMode.DELETE.wireName())) : DeletionMode.DELETE;
        return new CreateRequest(ids, compliance,
                compliance == ComplianceType.CCPA ? disclosure : DisclosureType.DATA,
                kind == TaskKind.DELETION && suppress != null && suppress.asBoolean(),
                mode);
    }

    /** A deletion's {@code mode} (beyond v3), any letter case; an unknown one is a 400 that lists the allowed values. */
    static DeletionMode mode(String value) {
        return DeletionMode.parse(value).orElseThrow(() ->
                DomainException.invalidInput("unknown mode; allowed values: " + DeletionMode.ALLOWED));
    }

    /**
     * A request from the console's form, whose ids {@link IdList} has already checked; the types
     * are validated as the API validates them.
     */
    public static CreateRequest of(TaskKind kind, List<String> ids, String compliance, String disclosure, boolean suppress) {
        return of(kind, ids, compliance, disclosure, suppress, null);
    }

    /** Like {@link #of(TaskKind, List, String, String, boolean)} with the form's deletion mode (blank: delete). */
    public static CreateRequest of(TaskKind kind, List<String> ids, String compliance, String disclosure, boolean suppress,
                                   String mode) {
        DeletionMode m = mode == null || mode.isBlank() ? DeletionMode.DELETE : mode(mode);
        if (ids.isEmpty()) {
            throw DomainException.invalidInput("no distinct ids given");
        }
        if (ids.size() > MAX_IDS) {
            throw DomainException.invalidInput("more than " + MAX_IDS + " distinct_ids in one request");
        }
        ComplianceType c = ComplianceType.parse(compliance == null || compliance.isBlank() ? "GDPR" : compliance);
        DisclosureType d = DisclosureType.parse(disclosure == null || disclosure.isBlank() ? "Data" : disclosure);
        return new CreateRequest(List.copyOf(new LinkedHashSet<>(ids)), c, c == ComplianceType.CCPA ? d : DisclosureType.DATA,
                kind == TaskKind.DELETION && suppress, kind == TaskKind.DELETION ? m : DeletionMode.DELETE);
    }

    private static List<String> distinctIds(JsonNode node) {
        if (node == null || node.isNull()) {
            throw DomainException.invalidInput("distinct_ids is required");
        }
        if (!node.isArray()) {
            throw DomainException.invalidInput("distinct_ids must be an array of strings");
        }
        if (node.isEmpty()) {
            throw DomainException.invalidInput("distinct_ids must not be empty");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode id : node) {
            if (!id.isTextual() || id.textValue().isEmpty()) {
                throw DomainException.invalidInput("every distinct_id must be a non-empty string");
            }
            String value = id.textValue();
            // why: the same rule as ingestion, so no id is refused here that an event can carry, and back.
            String problem = DistinctIds.problem(value);
            if (problem != null) {
                throw DomainException.invalidInput("a distinct_id " + problem);
            }
            ids.add(value);
        }
        if (ids.size() > MAX_IDS) {
            throw DomainException.invalidInput("more than " + MAX_IDS + " distinct_ids in one request");
        }
        return List.copyOf(ids);
    }

    private static String text(JsonNode root, String field, String absent) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isTextual()) {
            throw DomainException.invalidInput(field + " must be a string");
        }
        return node.textValue();
    }
}
