package dev.lethe.query.where;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The supported subset, case by case, and every construct Lethe refuses, with the words the refusal names. */
class WhereTest {

    /** time is 2024-03-01T12:00:00Z in seconds, as the export shapes it. */
    private static final JsonNode EVENT = Json.readTrusted("""
            {"time": 1709294400, "plan": "pro", "seats": 5, "paid": true, "tags": ["a", "b"], "nothing": null,
             "created": "2024-02-01T00:00:00", "nested": {"x": 1}, "n": "5"}""");

    static Stream<Arguments> matching() {
        return Stream.of(
                arguments("properties[\"plan\"] == \"pro\"", true),
                arguments("properties['plan'] == 'pro'", true),
                arguments("properties[\"plan\"] != \"pro\"", false),
                arguments("properties[\"plan\"] == \"free\"", false),
                arguments("properties[\"seats\"] > 4", true),
                arguments("properties[\"seats\"] >= 5", true),
                arguments("properties[\"seats\"] < 5", false),
                arguments("properties[\"seats\"] <= 5.0", true),
                arguments("properties[\"seats\"] > -1", true),
                arguments("properties[\"seats\"] == 5", true),
                arguments("properties[\"n\"] == 5", false),
                arguments("properties[\"n\"] > 4", false),
                arguments("properties[\"paid\"] == true", true),
                arguments("properties[\"paid\"] == false", false),
                arguments("properties[\"missing\"] == 1", false),
                arguments("properties[\"missing\"] != 1", true),
                arguments("properties[\"missing\"] > 1", false),
                arguments("not properties[\"missing\"] > 1", true),
                arguments("properties[\"nested\"] == 1", false),
                arguments("defined(properties[\"plan\"])", true),
                arguments("defined(properties[\"missing\"])", false),
                arguments("defined(properties[\"nothing\"])", false),
                arguments("not defined(properties[\"missing\"])", true),
                arguments("properties[\"plan\"] == \"pro\" and properties[\"seats\"] > 10", false),
                arguments("properties[\"plan\"] == \"pro\" or properties[\"seats\"] > 10", true),
                arguments("properties[\"plan\"] == \"x\" or properties[\"plan\"] == \"y\" or properties[\"paid\"]", true),
                arguments("not (properties[\"plan\"] == \"pro\" and properties[\"paid\"] == true)", false),
                arguments("properties[\"paid\"] and true", true),
                arguments("properties[\"plan\"] and true", false),
                arguments("\"r\" in properties[\"plan\"]", true),
                arguments("\"z\" in properties[\"plan\"]", false),
                arguments("\"a\" in properties[\"tags\"]", true),
                arguments("\"c\" in properties[\"tags\"]", false),
                arguments("properties[\"seats\"] in [1, 5, 9]", true),
                arguments("properties[\"plan\"] in [\"free\", \"pro\"]", true),
                arguments("properties[\"plan\"] in []", false),
                arguments("5 in properties[\"plan\"]", false),
                arguments("properties[\"time\"] >= datetime(\"2024-03-01\")", true),
                arguments("properties[\"time\"] < datetime(\"2024-03-01T12:00:00\")", false),
                arguments("properties[\"time\"] == datetime(\"2024-03-01T12:00:00Z\")", true),
                arguments("properties[\"time\"] > datetime(1709294399)", true),
                arguments("properties[\"created\"] < datetime(\"2024-02-02\")", true),
                arguments("properties[\"plan\"] < datetime(\"2024-02-02\")", false),
                arguments("datetime(properties[\"created\"]) > datetime(\"2024-01-31T23:59:59+01:00\")", true),
                arguments("(properties[\"seats\"] == 5)", true),
                arguments("  ", true));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("matching")
    void supported_expressions_evaluate_as_documented(String expression, boolean expected) {
        assertThat(Where.parse(expression, Scope.EVENTS).test(EVENT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("matching")
    void profile_filters_accept_the_same_forms(String expression, boolean expected) {
        assertThat(Where.parse(expression.replace("properties[", "user["), Scope.PROFILES).test(EVENT)).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("properties[\"seats\"] + 1 > 2", "arithmetic operator '+'"),
                arguments("properties[\"seats\"] - 1 > 2", "arithmetic operator '-'"),
                arguments("properties[\"seats\"] * 2 > 2", "arithmetic operator '*'"),
                arguments("properties[\"seats\"] / 2 > 2", "arithmetic operator '/'"),
                arguments("properties[\"seats\"] % 2 == 1", "arithmetic operator '%'"),
                arguments("1 < properties[\"seats\"] * 2", "arithmetic operator '*'"),
                arguments("-properties[\"seats\"] < 0", "unary '-'"),
                arguments("floor(properties[\"seats\"]) == 5", "function 'floor' is not supported"),
                arguments("round(properties[\"seats\"]) == 5", "function 'round' is not supported"),
                arguments("ceil(properties[\"seats\"]) == 5", "function 'ceil' is not supported"),
                arguments("number(properties[\"n\"]) == 5", "function 'number' is not supported"),
                arguments("string(properties[\"seats\"]) == \"5\"", "function 'string' is not supported"),
                arguments("boolean(properties[\"paid\"])", "function 'boolean' is not supported"),
                arguments("lower(properties[\"plan\"]) == \"pro\"", "function 'lower' is not supported"),
                arguments("frobnicate(1) == 1", "unknown function 'frobnicate'"),
                arguments("plan == \"pro\"", "unknown name 'plan'"),
                arguments("event[\"$time\"] > 1", "event[...] is not supported"),
                arguments("user[\"plan\"] == \"pro\"", "user[...] (profile properties) is not supported in an event filter"),
                arguments("properties[\"plan\"] == null", "the literal 'null' is not supported"),
                arguments("properties[\"plan\"] == undefined", "the literal 'undefined' is not supported"),
                arguments("1 < properties[\"seats\"] < 9", "chained comparison"),
                arguments("properties[\"plan\"]", "must be a condition"),
                arguments("\"pro\"", "must be a condition"),
                arguments("1 and properties[\"paid\"]", "'and' needs conditions or booleans"),
                arguments("properties[\"paid\"] or \"x\"", "'or' needs conditions or booleans"),
                arguments("not 5", "'not' needs conditions or booleans"),
                arguments("properties[plan] == 1", "a property name must be a quoted string"),
                arguments("properties[\"plan\"] = \"pro\"", "compare with '=='"),
                arguments("properties[\"plan\"] == \"pro", "unterminated string"),
                arguments("properties[\"plan\"] == \"pro\" &&", "unexpected character '&'"),
                arguments("(properties[\"seats\"] > 1", "ends where ')' is expected"),
                arguments("properties[\"seats\"] > 1)", "unexpected ')'"),
                arguments("properties[\"seats\"] >", "ends where a value is expected"),
                arguments("datetime(\"yesterday\") < properties[\"time\"]", "is not a date"),
                arguments("properties[\"seats\"] in [properties[\"n\"]]", "only string, number and boolean literals"),
                arguments("defined(5)", "defined(...) takes one property"),
                arguments("and properties[\"paid\"]", "needs a value on its left"),
                arguments("properties[\"plan\"] == \"a\\q\"", "unsupported escape"),
                arguments("1.2.3 == 1", "is not a number"),
                arguments("properties[\"seats\"] == 1e400", "'1e400' at offset 23 is out of range: a number must be finite"),
                arguments("properties[\"time\"] > datetime(-1e400)", "'1e400' at offset 31 is out of range"),
                arguments("x".repeat(Where.MAX_LENGTH + 1), "longer than"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    void every_other_construct_is_refused_by_name(String expression, String message) {
        assertThatThrownBy(() -> Where.parse(expression, Scope.EVENTS))
                .isInstanceOf(WhereException.class)
                .hasMessageContaining(message);
    }

    @Test
    void nesting_is_accepted_to_the_limit_and_refused_beyond_it_with_the_offset() {
        String defined = "defined(properties[\"seats\"])";
        assertThat(Where.parse("(".repeat(Parser.MAX_DEPTH) + defined + ")".repeat(Parser.MAX_DEPTH), Scope.EVENTS).test(EVENT)).isTrue();
        assertThat(Where.parse("not ".repeat(Parser.MAX_DEPTH) + defined, Scope.EVENTS).test(EVENT)).isTrue();
        // why: thousands of levels overflowed the parser's stack (a 500); each form of nesting is counted
        assertThatThrownBy(() -> Where.parse("(".repeat(2000) + defined + ")".repeat(2000), Scope.EVENTS))
                .isInstanceOf(WhereException.class)
                .hasMessage("the expression nests too deep: more than 100 levels of parentheses, brackets and 'not' at offset 100");
        assertThatThrownBy(() -> Where.parse("properties[\"x\"] in " + "[".repeat(4500) + "]".repeat(4500), Scope.EVENTS))
                .hasMessageContaining("nests too deep").hasMessageContaining("at offset " + (19 + Parser.MAX_DEPTH));
        assertThatThrownBy(() -> Where.parse("not ".repeat(2000) + defined, Scope.EVENTS))
                .hasMessageContaining("nests too deep");
        assertThatThrownBy(() -> Where.parse("datetime(".repeat(500) + "1" + ")".repeat(500) + " > 1", Scope.EVENTS))
                .hasMessageContaining("nests too deep");
        assertThatThrownBy(() -> Where.parse("(".repeat(60) + "properties[\"x\"] in " + "[".repeat(60) + "]".repeat(60)
                + ")".repeat(60), Scope.EVENTS)).hasMessageContaining("nests too deep");
    }
}
