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
import java.util.regex.Pattern;

/** Reading the read APIs' parameters; every refusal is a 400 naming the parameter. */
public final class Params {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

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

    /** An integer from min to max, or null when absent; a refusal names the range. */
    public static Integer integer(String name, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String digits = value.trim();
        if (!INTEGER.matcher(digits).matches()) {
            throw DomainException.invalidInput(name + " must be an integer between " + min + " and " + max);
        }
        // why: digits past an int's range are still an integer, just out of range, and the message says so
        String significant = digits.replaceFirst("^[+-]?0*", "");
        long n = significant.length() > 18 ? (digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(digits);
        if (n < min || n > max) {
            throw DomainException.invalidInput(name + " must be between " + min + " and " + max);
        }
        return (int) n;
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
