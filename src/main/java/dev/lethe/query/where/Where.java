package dev.lethe.query.where;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A parsed {@code where} filter: the subset of Mixpanel's segmentation expressions that
 * docs/query-api.md lists. Parsing refuses every other construct by name, so a filter is
 * never silently read as something else.
 */
public final class Where {

    /** The longest expression accepted; a filter is a few hundred characters in practice. */
    public static final int MAX_LENGTH = 10_000;

    private static final Where ALL = new Where(null, "");

    private final Expr expr;
    private final String source;

    private Where(Expr expr, String source) {
        this.expr = expr;
        this.source = source;
    }

    /** Matches everything. */
    public static Where all() {
        return ALL;
    }

    /**
     * @param source the expression; null or blank matches everything
     * @throws WhereException naming what is wrong or unsupported
     */
    public static Where parse(String source, Scope scope) {
        if (source == null || source.isBlank()) {
            return ALL;
        }
        if (source.length() > MAX_LENGTH) {
            throw new WhereException("the expression is longer than " + MAX_LENGTH + " characters");
        }
        return new Where(new Parser(Lexer.tokens(source), scope).parseAll(), source);
    }

    public boolean matchesAll() {
        return expr == null;
    }

    /** Whether the properties satisfy the filter: only a result of {@code true} matches. */
    public boolean test(JsonNode properties) {
        return expr == null || Boolean.TRUE.equals(expr.eval(properties));
    }

    /** The expression as given, for fingerprints. */
    public String source() {
        return source;
    }
}
