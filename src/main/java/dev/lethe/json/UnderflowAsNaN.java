package dev.lethe.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

import java.io.IOException;

/**
 * A parser that reads a number too small for a double ({@code 1e-400}) as NaN instead of 0.0. JSON
 * cannot spell NaN (non-numeric numbers are off), so a NaN in a tree read from outside marks a number
 * out of a double's range as surely as the infinity that {@code 1e400} reads as: ingestion refuses
 * both (see {@code ingest/StorableValues}) rather than store a value the client did not send.
 */
final class UnderflowAsNaN extends JsonParserDelegate {

    UnderflowAsNaN(JsonParser parser) {
        super(parser);
    }

    @Override
    public double getDoubleValue() throws IOException {
        double value = super.getDoubleValue();
        // why: only a zero can be an underflow, so the text is looked at for zeros alone.
        return value == 0.0 && hasNonZeroDigit(getText()) ? Double.NaN : value;
    }

    /** True when a digit of the number's mantissa (before any exponent) is not 0. */
    static boolean hasNonZeroDigit(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
