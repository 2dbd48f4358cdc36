package dev.lethe.web.query;

import dev.lethe.query.EventExport;
import dev.lethe.query.ExportRequest;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /api/2.0/export}: the raw event export as newline-delimited JSON, streamed;
 * gzipped when the client accepts it. Every parameter is checked before the first byte, so a
 * refusal is always a JSON error with its status, never a cut-off body.
 */
public final class ExportHandler {

    private final ReadAccess access;
    private final EventExport export;

    ExportHandler(ReadAccess access, EventExport export) {
        this.access = access;
        this.export = export;
    }

    public void handle(Context ctx) throws IOException {
        ReadParams params = ReadParams.query(ctx);
        try (ReadAccess.Call call = access.enter(ctx, params.get("project_id"))) {
            ExportRequest request = ExportRequest.parse(params.get("from_date"), params.get("to_date"), params.get("event"),
                    params.get("where"), params.get("limit"), params.get("time_in_ms"));
            ctx.status(200).contentType("text/plain; charset=utf-8");
            boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));
            if (gzip) {
                ctx.header("Content-Encoding", "gzip");
            }
            ctx.header("Vary", "Accept-Encoding");
            // why: written to the servlet stream directly, not through Javalin's result, so the body is never held whole
            OutputStream raw = ctx.res().getOutputStream();
            try (OutputStream out = gzip ? new GZIPOutputStream(raw, 64 * 1024) : raw) {
                export.write(call.project().id(), request, out);
                // why: the slot goes back before closing sends the response's last bytes, so a client that
                // starts its next export once it has read this one is never refused by this one's slot.
                call.close();
            }
        }
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] coding = part.trim().split(";");
            if (coding[0].trim().equalsIgnoreCase("gzip")) {
                return coding.length < 2 || !coding[1].replace(" ", "").equalsIgnoreCase("q=0");
            }
        }
        return false;
    }
}
