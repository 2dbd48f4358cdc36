package dev.lethe.gdpr;

import dev.lethe.web.gdpr.OpenApiDocument;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;

/** Validates responses of the GDPR API against Lethe's OpenAPI document, as the tests receive them. */
public final class OpenApiSpec {

    private static final OpenApiInteractionValidator VALIDATOR =
            OpenApiInteractionValidator.createForInlineApiSpecification(document()).build();

    private OpenApiSpec() {
    }

    static String document() {
        try (InputStream in = OpenApiSpec.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the test unless the response (status, headers, body) is one the document describes for this operation. */
    public static void assertDescribes(String method, String path, HttpResponse<String> response) {
        String bare = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        SimpleResponse.Builder r = SimpleResponse.Builder.status(response.statusCode());
        for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
            r.withHeader(h.getKey(), h.getValue());
        }
        response.headers().firstValue("Content-Type").ifPresent(r::withContentType);
        if (!response.body().isEmpty()) {
            r.withBody(response.body());
        }
        ValidationReport report = VALIDATOR.validateResponse(bare, Request.Method.valueOf(method), r.build());
        if (report.hasErrors()) {
            fail("%s %s -> %d %s does not match the OpenAPI document: %s", method, path, response.statusCode(),
                    response.body(), report.getMessages());
        }
    }
}
