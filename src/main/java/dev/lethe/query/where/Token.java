package dev.lethe.query.where;

/** One lexical token of a {@code where} expression; {@code at} is its offset, for error messages. */
record Token(Kind kind, String text, int at) {

    enum Kind { STRING, NUMBER, WORD, SYMBOL, END }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isSymbol(String t) {
        return is(Kind.SYMBOL, t);
    }

    boolean isWord(String t) {
        return is(Kind.WORD, t);
    }
}
