package dev.lethe.query.where;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens: string and number literals, words, and operator symbols. */
final class Lexer {

    private static final String TWO_CHAR = "==!=>=<=";

    private Lexer() {
    }

    static List<Token> tokens(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                i = string(src, i, out);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1)))) {
                int start = i;
                while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '.'
                        || src.charAt(i) == 'e' || src.charAt(i) == 'E'
                        || ((src.charAt(i) == '+' || src.charAt(i) == '-') && (src.charAt(i - 1) == 'e' || src.charAt(i - 1) == 'E')))) {
                    i++;
                }
                out.add(new Token(Token.Kind.NUMBER, src.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_' || src.charAt(i) == '$')) {
                    i++;
                }
                out.add(new Token(Token.Kind.WORD, src.substring(start, i), start));
            } else if (i + 1 < src.length() && pairAt(src, i)) {
                out.add(new Token(Token.Kind.SYMBOL, src.substring(i, i + 2), i));
                i += 2;
            } else if ("()[],<>+-*/%".indexOf(c) >= 0) {
                out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), i));
                i++;
            } else if (c == '=') {
                throw new WhereException("'=' at offset " + i + " is not an operator: compare with '=='");
            } else {
                throw new WhereException("unexpected character '" + c + "' at offset " + i);
            }
        }
        out.add(new Token(Token.Kind.END, "", src.length()));
        return out;
    }

    private static boolean pairAt(String src, int i) {
        String two = src.substring(i, i + 2);
        for (int k = 0; k < TWO_CHAR.length(); k += 2) {
            if (TWO_CHAR.startsWith(two, k)) {
                return true;
            }
        }
        return false;
    }

    private static int string(String src, int start, List<Token> out) {
        char quote = src.charAt(start);
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == quote) {
                out.add(new Token(Token.Kind.STRING, sb.toString(), start));
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= src.length()) {
                    break;
                }
                char e = src.charAt(i + 1);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\', '"', '\'' -> sb.append(e);
                    default -> throw new WhereException("unsupported escape '\\" + e + "' in the string at offset " + start);
                }
                i += 2;
            } else {
                sb.append(c);
                i++;
            }
        }
        throw new WhereException("unterminated string starting at offset " + start);
    }
}
