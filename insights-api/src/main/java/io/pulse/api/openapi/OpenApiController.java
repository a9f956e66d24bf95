package io.pulse.api.openapi;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the API's OpenAPI 3.1 document, hand-written in
 * {@code resources/openapi/pulse-api-v1.json}. Public. A test keeps it and the registered routes in step.
 */
public final class OpenApiController {
    /** The document on the classpath. */
    public static final String RESOURCE = "/openapi/pulse-api-v1.json";
    private final byte[] document;

    /** Reads the document once; fails at start-up if it is missing. */
    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public void getDocument(Context ctx) {
        ctx.contentType("application/json").header(Header.CACHE_CONTROL, "no-cache").result(document);
    }
}
