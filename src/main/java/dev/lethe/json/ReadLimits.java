package dev.lethe.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/** Which of the limits that {@link Json#UNTRUSTED} reads within a payload broke, in the client's words. */
public final class ReadLimits {

    private static final StreamReadConstraints LIMITS = Json.UNTRUSTED.getFactory().streamReadConstraints();

    private ReadLimits() {
    }

    /**
     * @param what the payload, as the message names it ("the body", "line 3 of the body")
     */
    public static String describe(StreamConstraintsException e, String what) {
        // why: Jackson says which limit only in its message, by the name of the limit's getter.
        String message = e.getOriginalMessage();
        if (message.contains("getMaxNestingDepth")) {
            return what + " nests deeper than " + LIMITS.getMaxNestingDepth() + " levels";
        }
        if (message.contains("getMaxNumberLength")) {
            return what + " holds a number longer than " + LIMITS.getMaxNumberLength() + " characters";
        }
        if (message.contains("getMaxNameLength")) {
            return what + " holds a key longer than " + LIMITS.getMaxNameLength() + " characters";
        }
        if (message.contains("getMaxStringLength")) {
            return what + " holds a string longer than " + LIMITS.getMaxStringLength() + " characters";
        }
        return what + " exceeds a limit of the JSON reader: " + message;
    }
}
