package io.pulse.api.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.pulse.api.query.StoreUnavailableException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns exceptions into HTTP answers: a JSON body with the reason, never a bare 500. */
public final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    public static void register(JavalinConfig config) {
        config.routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), e.getMessage()));
        config.routes.exception(StoreUnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            answer(ctx, HttpStatus.SERVICE_UNAVAILABLE.getCode(), e.getMessage());
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            log.error("Unexpected error answering {} {}", ctx.method(), ctx.path(), e);
            answer(ctx, HttpStatus.INTERNAL_SERVER_ERROR.getCode(), "internal error; it has been logged");
        });
    }

    private static void answer(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("status", status, "error", message));
    }
}
