package io.pulse.api.routing;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * What travels with an API request when another instance must answer it: its path and query exactly as received,
 * the caller's {@code Authorization} header unchanged (the other instance checks it again), and whether it already
 * is a forwarded request, which is never forwarded again.
 *
 * @param pathAndQuery the raw path, with {@code ?query} when there is one
 */
public record IncomingRequest(String pathAndQuery, Optional<String> authorization, boolean forwarded) {
    /** Marks a request one instance forwarded to another: one hop at most, so nothing loops. */
    public static final String FORWARDED_HEADER = "X-Pulse-Forwarded";

    public static IncomingRequest of(Context ctx) {
        String query = ctx.queryString();
        String pathAndQuery = query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
        return new IncomingRequest(pathAndQuery, Optional.ofNullable(ctx.header("Authorization")),
                ctx.header(FORWARDED_HEADER) != null);
    }

    /** Another request of the same caller (for a lookup the answer needs from another instance). */
    public IncomingRequest withPathAndQuery(String otherPathAndQuery) {
        return new IncomingRequest(otherPathAndQuery, authorization, forwarded);
    }
}
