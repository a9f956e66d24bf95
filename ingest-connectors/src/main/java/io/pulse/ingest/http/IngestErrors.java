package io.pulse.ingest.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns the ingest and admin endpoints' exceptions into answers: a JSON body with
 * {@code status}, {@code error} and, where events were refused, {@code problems}; {@code Retry-After}
 * on 429 and 503; {@code WWW-Authenticate} on 401.
 */
public final class IngestErrors {
    private static final Logger log = LoggerFactory.getLogger(IngestErrors.class);

    private IngestErrors() {
    }

    public static void register(JavalinConfig config) {
        config.routes.exception(IngestHttpException.class, (e, ctx) -> answer(ctx, e));
    }

    /**
     * For an app that serves ingest alone: any other exception is logged once and answered 500 with a JSON
     * body, never a bare error page. An app shared with other routes keeps its own catch-all instead.
     */
    static void registerFallback(JavalinConfig config) {
        config.routes.exception(Exception.class, (e, ctx) -> {
            log.error("Unexpected error answering {} {}", ctx.method(), ctx.path(), e);
            JsonAnswers.write(ctx, 500, Map.of("status", 500, "error", "internal error; it has been logged"));
        });
    }

    /** Writes the answer of {@code e}; also used where an answer is completed outside the handler thread. */
    static void answer(Context ctx, IngestHttpException e) {
        // The reason is the client's to see; where a 503 starts (delivery) is logged once, there.
        log.debug("{} {} answered {}: {}", ctx.method(), ctx.path(), e.status(), e.getMessage());
        e.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", Long.toString(s)));
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "ApiKey header=\"" + IngestController.KEY_HEADER + "\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.status());
        body.put("error", e.getMessage());
        if (!e.problems().isEmpty()) {
            body.put("problems", e.problems());
        }
        JsonAnswers.write(ctx, e.status(), body);
    }
}
