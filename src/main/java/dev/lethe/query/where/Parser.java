package dev.lethe.query.where;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent over the supported subset (docs/query-api.md):
 * <pre>
 *   or         := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | comparison
 *   comparison := operand (('==' | '!=' | '>' | '>=' | '<' | '<=' | 'in') operand)?
 *   operand    := literal | property | 'defined' '(' property ')' | 'datetime' '(' or ')'
 *               | '[' (literal (',' literal)*)? ']' | '(' or ')'
 *   property   := 'properties' '[' string ']'   (and 'user' '[' string ']' over profiles)
 * </pre>
 * Everything else of Mixpanel's language is refused by name, never guessed at.
 */
final class Parser {

    /**
     * The deepest nesting of parentheses, brackets, {@code datetime(...)} and {@code not} accepted.
     * why: each level is a frame of this recursive descent; a filter written by hand nests a few
     * levels, and an unbounded one would overflow the stack (a 500) instead of being refused.
     */
    static final int MAX_DEPTH = 100;

    private static final Set<String> COMPARISONS = Set.of("==", "!=", ">", ">=", "<", "<=");
    private static final Set<String> ARITHMETIC = Set.of("+", "-", "*", "/", "%");
    private static final Set<String> UNSUPPORTED_FUNCTIONS = Set.of("floor", "round", "ceil", "boolean", "number", "string",
            "length", "lower", "upper", "regex_match", "regex_extract", "if", "sum", "min", "max", "now");

    private final List<Token> tokens;
    private final Scope scope;
    private int pos;
    private int depth;

    Parser(List<Token> tokens, Scope scope) {
        this.tokens = tokens;
        this.scope = scope;
    }

    Expr parseAll() {
        Expr e = or();
        Token t = peek();
        if (t.kind() != Token.Kind.END) {
            throw unexpected(t);
        }
        if (!e.isCondition()) {
            throw new WhereException("the expression must be a condition (a comparison, and/or/not, defined(...) or in), "
                    + "not a bare value");
        }
        return e;
    }

    private Expr or() {
        Expr left = and();
        while (peek().isWord("or")) {
            next();
            left = new Expr.Logic(false, condition(left, "or"), condition(and(), "or"));
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isWord("and")) {
            next();
            left = new Expr.Logic(true, condition(left, "and"), condition(not(), "and"));
        }
        return left;
    }

    private Expr not() {
        if (peek().isWord("not")) {
            nest(next());
            Expr operand = not();
            depth--;
            return new Expr.Not(condition(operand, "not"));
        }
        return comparison();
    }

    /** A literal where a condition is due is a type error Mixpanel raises at run time; Lethe refuses it up front. */
    private static Expr condition(Expr e, String op) {
        if (e instanceof Expr.Literal l && !(l.value() instanceof Boolean)) {
            throw new WhereException("'" + op + "' needs conditions or booleans, not the literal " + l.value());
        }
        if (e instanceof Expr.ListOf || e instanceof Expr.DateTimeOf) {
            throw new WhereException("'" + op + "' needs conditions or booleans, not a list or datetime");
        }
        return e;
    }

    private Expr comparison() {
        Expr left = operand();
        Token t = peek();
        Expr result = left;
        if (t.kind() == Token.Kind.SYMBOL && COMPARISONS.contains(t.text())) {
            next();
            result = new Expr.Compare(t.text(), left, operand());
        } else if (t.isWord("in")) {
            next();
            result = new Expr.In(left, operand());
        }
        Token after = peek();
        if (result != left && (after.kind() == Token.Kind.SYMBOL && COMPARISONS.contains(after.text()) || after.isWord("in"))) {
            throw new WhereException("chained comparison at offset " + after.at() + " is not supported: join comparisons with 'and'");
        }
        refuseArithmetic(after);
        return result;
    }

    private static void refuseArithmetic(Token t) {
        if (t.kind() == Token.Kind.SYMBOL && ARITHMETIC.contains(t.text())) {
            throw new WhereException("arithmetic operator '" + t.text() + "' at offset " + t.at() + " is not supported");
        }
    }

    private Expr operand() {
        Token t = next();
        switch (t.kind()) {
            case STRING:
                return new Expr.Literal(t.text());
            case NUMBER:
                return new Expr.Literal(number(t));
            case SYMBOL:
                return symbolOperand(t);
            case WORD:
                return wordOperand(t);
            default:
                throw new WhereException("the expression ends where a value is expected");
        }
    }

    private Expr symbolOperand(Token t) {
        switch (t.text()) {
            case "(" -> {
                nest(t);
                Expr inner = or();
                expect(")");
                depth--;
                return inner;
            }
            case "[" -> {
                nest(t);
                Expr list = list();
                depth--;
                return list;
            }
            case "-" -> {
                Token n = peek();
                if (n.kind() == Token.Kind.NUMBER && n.at() == t.at() + 1) {
                    next();
                    return new Expr.Literal(-number(n));
                }
                throw new WhereException("unary '-' at offset " + t.at() + " is only supported before a number literal");
            }
            default -> {
                refuseArithmetic(t);
                throw unexpected(t);
            }
        }
    }

    private Expr wordOperand(Token t) {
        String w = t.text();
        switch (w) {
            case "true":
                return new Expr.Literal(Boolean.TRUE);
            case "false":
                return new Expr.Literal(Boolean.FALSE);
            case "properties":
                return new Expr.Property(propertyName());
            case "user":
                if (scope != Scope.PROFILES) {
                    throw new WhereException("user[...] (profile properties) is not supported in an event filter");
                }
                return new Expr.Property(propertyName());
            case "event":
                throw new WhereException("event[...] is not supported: use properties[\"time\"] with datetime(...)");
            case "defined": {
                expect("(");
                Token p = next();
                if (!(p.isWord("properties") || (p.isWord("user") && scope == Scope.PROFILES))) {
                    throw new WhereException("defined(...) takes one property, e.g. defined(properties[\"name\"])");
                }
                Expr.Defined d = new Expr.Defined(propertyName());
                expect(")");
                return d;
            }
            case "datetime": {
                nest(t);
                expect("(");
                Expr arg = or();
                expect(")");
                depth--;
                if (arg instanceof Expr.Literal l && Values.dateTime(l.value()) == null) {
                    throw new WhereException("datetime(" + l.value() + ") is not a date: use \"YYYY-MM-DD\", "
                            + "\"YYYY-MM-DDTHH:MM:SS\" (UTC) or epoch seconds");
                }
                return new Expr.DateTimeOf(arg);
            }
            case "null", "undefined":
                throw new WhereException("the literal '" + w + "' is not supported: use defined(...) or not defined(...)");
            case "and", "or", "in":
                throw new WhereException("'" + w + "' at offset " + t.at() + " needs a value on its left");
            default:
                if (peek().isSymbol("(")) {
                    if (UNSUPPORTED_FUNCTIONS.contains(w)) {
                        throw new WhereException("function '" + w + "' is not supported");
                    }
                    throw new WhereException("unknown function '" + w + "'");
                }
                throw new WhereException("unknown name '" + w + "' at offset " + t.at()
                        + ": properties are written properties[\"" + w + "\"], strings in quotes");
        }
    }

    private String propertyName() {
        expect("[");
        Token name = next();
        if (name.kind() != Token.Kind.STRING) {
            throw new WhereException("a property name must be a quoted string, e.g. properties[\"plan\"]");
        }
        expect("]");
        return name.text();
    }

    private Expr list() {
        List<Expr> items = new ArrayList<>();
        if (peek().isSymbol("]")) {
            next();
            return new Expr.ListOf(items);
        }
        do {
            Expr item = operand();
            if (!(item instanceof Expr.Literal)) {
                throw new WhereException("a list may hold only string, number and boolean literals");
            }
            items.add(item);
        } while (acceptSymbol(","));
        expect("]");
        return new Expr.ListOf(items);
    }

    /** One level deeper, at the token that opens it; the caller steps back out once the level is parsed. */
    private void nest(Token opening) {
        if (++depth > MAX_DEPTH) {
            throw new WhereException("the expression nests too deep: more than " + MAX_DEPTH
                    + " levels of parentheses, brackets and 'not' at offset " + opening.at());
        }
    }

    private static double number(Token t) {
        double n;
        try {
            n = Double.parseDouble(t.text());
        } catch (NumberFormatException e) {
            throw new WhereException("'" + t.text() + "' at offset " + t.at() + " is not a number");
        }
        if (!Double.isFinite(n)) {
            throw new WhereException("'" + t.text() + "' at offset " + t.at() + " is out of range: a number must be finite");
        }
        return n;
    }

    private boolean acceptSymbol(String s) {
        if (peek().isSymbol(s)) {
            next();
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        Token t = next();
        if (!t.isSymbol(symbol)) {
            if (t.kind() == Token.Kind.END) {
                throw new WhereException("the expression ends where '" + symbol + "' is expected");
            }
            throw new WhereException("expected '" + symbol + "' at offset " + t.at() + ", found '" + t.text() + "'");
        }
    }

    private static WhereException unexpected(Token t) {
        return new WhereException("unexpected '" + t.text() + "' at offset " + t.at());
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) {
            pos++;
        }
        return t;
    }
}
