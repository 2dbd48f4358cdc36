package dev.lethe.web;

import dev.lethe.json.Json;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

import java.nio.ByteBuffer;

/**
 * Requests Jetty refuses before they reach a route (an encoded {@code /} or NUL in the path, a
 * malformed request line) get the contract's JSON error body instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put("X-Content-Type-Options", "nosniff");
        String message = reason == null || reason.isBlank() ? "malformed request" : reason;
        return BufferUtil.toBuffer(Json.write(ErrorMapper.body(message, null)));
    }
}
