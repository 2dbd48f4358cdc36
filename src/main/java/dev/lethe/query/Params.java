package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.query.where.Scope;
import dev.lethe.query.where.Where;
import dev.lethe.query.where.WhereException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reading the read APIs' parameters; every refusal is a 400 naming the parameter. */
final class Params {

    private Params() {
    }

    /** A JSON array of non-empty strings, e.g. {@code ["signup","purchase"]}; null when absent. */
    static List<String> stringArray(String name, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.readTree(value.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw DomainException.invalidInput(name + " must be a JSON array of strings, e.g. [\"a\",\"b\"]");
        }
        if (!node.isArray()) {
            throw DomainException.invalidInput(name + " must be a JSON array of strings, e.g. [\"a\",\"b\"]");
        }
        if (node.size() > max) {
            throw DomainException.invalidInput(name + " holds more than " + max + " values");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!(item.isTextual() || item.isIntegralNumber()) || item.asText().isEmpty() || item.asText().indexOf('\0') >= 0) {
                throw DomainException.invalidInput(name + " must be a JSON array of non-empty strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    static Integer integer(String name, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw DomainException.invalidInput(name + " must be an integer");
        }
        if (n < min || n > max) {
            throw DomainException.invalidInput(name + " must be between " + min + " and " + max);
        }
        return n;
    }

    static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw DomainException.invalidInput(name + " must be true or false");
        };
    }

    static Where where(String value, Scope scope) {
        try {
            return Where.parse(value, scope);
        } catch (WhereException e) {
            throw DomainException.invalidInput("where: " + e.getMessage());
        }
    }
}
