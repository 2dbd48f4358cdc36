package dev.lethe.query.where;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/** A parsed expression. {@link #eval} returns a value of {@link Values}, null for undefined. */
sealed interface Expr {

    Object eval(JsonNode properties);

    /** Whether it always yields a boolean or undefined, so it can stand as a condition. */
    default boolean isCondition() {
        return false;
    }

    record Literal(Object value) implements Expr {
        public Object eval(JsonNode properties) {
            return value;
        }
    }

    record Property(String name) implements Expr {
        public Object eval(JsonNode properties) {
            return Values.of(properties.get(name));
        }
    }

    record ListOf(List<Expr> items) implements Expr {
        public Object eval(JsonNode properties) {
            return items.stream().map(i -> i.eval(properties)).toList();
        }
    }

    record DateTimeOf(Expr arg) implements Expr {
        public Object eval(JsonNode properties) {
            return Values.dateTime(arg.eval(properties));
        }
    }

    /** {@code defined(properties["x"])}: the property is present and not null. */
    record Defined(String name) implements Expr {
        public Object eval(JsonNode properties) {
            JsonNode v = properties.get(name);
            return v != null && !v.isNull();
        }

        public boolean isCondition() {
            return true;
        }
    }

    record Not(Expr operand) implements Expr {
        public Object eval(JsonNode properties) {
            Object v = operand.eval(properties);
            if (v == null) {
                return true;
            }
            return v instanceof Boolean b ? !b : null;
        }

        public boolean isCondition() {
            return true;
        }
    }

    /** {@code and} / {@code or}: undefined counts as false; any non-boolean counts as false too (see docs/query-api.md). */
    record Logic(boolean and, Expr left, Expr right) implements Expr {
        public Object eval(JsonNode properties) {
            boolean l = Boolean.TRUE.equals(left.eval(properties));
            if (and && !l) {
                return false;
            }
            if (!and && l) {
                return true;
            }
            return Boolean.TRUE.equals(right.eval(properties));
        }

        public boolean isCondition() {
            return true;
        }
    }

    /**
     * {@code x in y}: y a list (literal or array property) tests membership with {@code ==};
     * two strings test for a substring; anything else is undefined.
     */
    record In(Expr needle, Expr haystack) implements Expr {
        public Object eval(JsonNode properties) {
            Object n = needle.eval(properties);
            Object h = haystack.eval(properties);
            if (h instanceof List<?> items) {
                for (Object item : items) {
                    if (Compare.equal(n, item)) {
                        return true;
                    }
                }
                return false;
            }
            if (n instanceof String s && h instanceof String t) {
                return t.contains(s);
            }
            return null;
        }

        public boolean isCondition() {
            return true;
        }
    }

    record Compare(String op, Expr left, Expr right) implements Expr {
        public Object eval(JsonNode properties) {
            Object l = left.eval(properties);
            Object r = right.eval(properties);
            return switch (op) {
                case "==" -> equal(l, r);
                case "!=" -> !equal(l, r);
                default -> order(l, r);
            };
        }

        public boolean isCondition() {
            return true;
        }

        private Object order(Object l, Object r) {
            Integer c = compare(l, r);
            if (c == null) {
                return null;
            }
            return switch (op) {
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                default -> c <= 0;
            };
        }

        /** Numbers with numbers, datetimes with anything that reads as one; else null (undefined). */
        static Integer compare(Object l, Object r) {
            if (l instanceof Double a && r instanceof Double b) {
                return Double.compare(a, b);
            }
            if (l instanceof Values.DateTime || r instanceof Values.DateTime) {
                Values.DateTime a = Values.dateTime(l);
                Values.DateTime b = Values.dateTime(r);
                return a == null || b == null ? null : Long.compare(a.epochMs(), b.epochMs());
            }
            return null;
        }

        /** Values of different types are never equal (Mixpanel), except a datetime and what reads as one. */
        static boolean equal(Object l, Object r) {
            if (l instanceof Values.DateTime || r instanceof Values.DateTime) {
                Integer c = compare(l, r);
                return c != null && c == 0;
            }
            if (l == null || r == null) {
                return false;
            }
            if (l instanceof List<?> && r instanceof List<?>) {
                return l.equals(r);
            }
            return l.getClass() == r.getClass() && Objects.equals(l, r);
        }
    }
}
