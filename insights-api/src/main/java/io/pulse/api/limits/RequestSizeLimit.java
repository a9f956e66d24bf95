package io.pulse.api.limits;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.pulse.api.auth.ApiPath;
import io.pulse.api.auth.ApiRejection;

/**
 * Bounds request bodies under {@code /api}: the API's routes are reads, so a body longer than
 * {@code maxBytes}, or one of unknown length (chunked), is refused with 413 before anything reads it.
 * (Ingest routes have their own, larger limits and are left alone.)
 */
public final class RequestSizeLimit implements Handler {
    /** The API's default limit: its routes are GETs. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;

    private final int maxBytes;

    public RequestSizeLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void handle(Context ctx) {
        if (!ApiPath.of(ctx.path()).isApi()) {
            return;
        }
        long length = ctx.contentLength();
        String transferEncoding = ctx.header("Transfer-Encoding");
        if (length > maxBytes) {
            throw ApiRejection.tooLarge("the request body has " + length + " bytes; the API accepts at most " + maxBytes);
        }
        if (length < 0 && transferEncoding != null && transferEncoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            throw ApiRejection.tooLarge("the request body has no declared length (chunked); the API accepts at most " + maxBytes
                    + " bytes with a Content-Length");
        }
    }
}
