package dev.lethe.ingest;

import dev.lethe.domain.DomainException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: a malformed byte sequence is the client's mistake, never silently replaced. */
public final class Utf8 {

    private Utf8() {
    }

    public static String decode(byte[] bytes, String what) {
        try {
            return decoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw DomainException.invalidInput(what + " is not valid UTF-8");
        }
    }

    /**
     * Checks bytes as {@link #decode} does without keeping the text: the JSON parser reads the bytes
     * itself, and a decoded copy of a 10 MiB body would cost three times that in memory.
     */
    public static void validate(byte[] bytes, int offset, int length, String what) {
        CharsetDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                throw DomainException.invalidInput(what + " is not valid UTF-8");
            }
            out.clear();
            if (r.isUnderflow()) {
                break;
            }
        }
        if (decoder.flush(out).isError()) {
            throw DomainException.invalidInput(what + " is not valid UTF-8");
        }
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
