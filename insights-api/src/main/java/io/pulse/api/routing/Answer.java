package io.pulse.api.routing;

import io.javalin.http.Context;
import java.util.Optional;

/** An API answer: a body this instance computed, or the answer of the instance that owns the data, relayed as is. */
public sealed interface Answer {

    /** Writes the answer as the response to {@code ctx}. */
    void writeTo(Context ctx);

    /** A body computed here, written as JSON with status 200. */
    record Local(Object body) implements Answer {
        @Override
        public void writeTo(Context ctx) {
            ctx.json(body);
        }
    }

    /**
     * Another instance's answer: status, content type, body and {@code Retry-After} passed on unchanged.
     *
     * @param from the instance that answered ({@code host:port})
     */
    record Relayed(String from, int status, String contentType, String body, Optional<String> retryAfter) implements Answer {
        @Override
        public void writeTo(Context ctx) {
            retryAfter.ifPresent(r -> ctx.header("Retry-After", r));
            ctx.status(status).contentType(contentType).result(body);
        }
    }
}
