package io.pulse.ingest.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit: a declared {@code Content-Length} over the limit is refused before a
 * byte is read, a body without one (chunked) as soon as it passes the limit. Nothing is parsed before that.
 *
 * <p>A request refused before its body is read to the end ({@link #discardUnread}) has the rest of its body read
 * and dropped, up to a bound, so that the connection stays usable and the answer reaches the client. Jetty does
 * not keep a connection whose request body is left unread: it closes it right after the answer, and the client's
 * body bytes that arrive after that close make the server's TCP stack answer with a reset, which can destroy the
 * answer before the client has read it (RFC 9112, section 9.6). A body longer than the bound is not read; its
 * answer says {@code Connection: close}.
 */
final class RequestBodies {
    /** How many request limits' worth of body a refusal reads and drops before it gives up the connection instead. */
    static final int DISCARD_LIMITS = 2;

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

    /**
     * For a request about to be refused: reads and drops what is left of its body, at most {@link #DISCARD_LIMITS}
     * times {@code maxBytes} more, so the connection can carry the next request. When the body is longer (declared
     * that long, or found so while reading) or cannot be read, the answer gets {@code Connection: close}
     * so the client knows the connection ends with it. A body already read to its end costs nothing.
     */
    static void discardUnread(Context ctx, int maxBytes) {
        long budget = (long) maxBytes * DISCARD_LIMITS;
        if (ctx.req().getContentLengthLong() > budget) {
            closeAfterAnswer(ctx);
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[8192];
            long left = budget + 1; // one byte over the budget tells a body that does not end within it
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
            closeAfterAnswer(ctx);
        } catch (IOException | RuntimeException e) {
            closeAfterAnswer(ctx);
        }
    }

    private static void closeAfterAnswer(Context ctx) {
        ctx.header("Connection", "close");
    }

    private static IngestHttpException tooLarge(String size, int maxBytes) {
        return IngestHttpException.tooLarge("the request body of " + size + " is over the limit of " + maxBytes
                + " bytes; send fewer events per request");
    }
}
