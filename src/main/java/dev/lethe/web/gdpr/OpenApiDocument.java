package dev.lethe.web.gdpr;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Serves Lethe's OpenAPI document of the GDPR API, kept in the jar at {@link #RESOURCE}. */
public final class OpenApiDocument {

    public static final String RESOURCE = "/openapi/lethe-gdpr.yaml";

    private final String yaml;

    public OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            this.yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(Context ctx) {
        ctx.contentType("application/yaml; charset=utf-8").result(yaml);
    }
}
