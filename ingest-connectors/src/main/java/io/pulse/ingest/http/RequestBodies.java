package io.pulse.ingest.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit: a declared {@code Content-Length} over the limit is refused before a
 * byte is read, a body without one (chunked) as soon as it passes the limit. Nothing is parsed before that.
 */
final class RequestBodies {
    private RequestBodies() {
    }

    static byte[] read(Context ctx, int maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared + " bytes", maxBytes);
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] body = in.readNBytes(maxBytes == Integer.MAX_VALUE ? maxBytes : maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw IngestHttpException.badRequest("the request body could not be read to its end: " + e.getMessage());
        }
    }

    private static IngestHttpException tooLarge(String size, int maxBytes) {
        return IngestHttpException.tooLarge("the request body of " + size + " is over the limit of " + maxBytes
                + " bytes; send fewer events per request");
    }
}
