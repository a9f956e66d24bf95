package io.pulse.api.auth;

import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request refused by the API's guards (token, tenant access, size, rate): its status, a machine-readable
 * reason, a message for people, and the headers the status calls for ({@code WWW-Authenticate},
 * {@code Retry-After}). Answered as {@code {"status":..,"error":..,"reason":..}}; the message never holds a token.
 */
public final class ApiRejection extends RuntimeException {
    /** The request attribute that holds the reason of a refused request, for the audit log. */
    public static final String REASON_ATTRIBUTE = "pulse.rejection";

    private final int status;
    private final String reason;
    private final Map<String, String> headers;

    private ApiRejection(int status, String reason, String message, Map<String, String> headers) {
        super(message, null, false, false); // expected refusals: no stack trace
        this.status = status;
        this.reason = reason;
        this.headers = Map.copyOf(headers);
    }

    /** 401: no token, or one that fails verification; {@code description} must not quote the token. */
    public static ApiRejection invalidToken(String reason, String description) {
        return new ApiRejection(401, reason, "invalid token: " + description, Map.of("WWW-Authenticate",
                "Bearer error=\"invalid_token\", error_description=\"" + headerSafe(description) + "\""));
    }

    /** 403: a valid token that may not read what was asked. */
    public static ApiRejection forbidden(String reason, String message) {
        return new ApiRejection(403, reason, message, Map.of("WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", error_description=\"" + headerSafe(message) + "\""));
    }

    /** 400: a request the guards cannot interpret (e.g. a token sent two ways at once). */
    public static ApiRejection badRequest(String reason, String message) {
        return new ApiRejection(400, reason, message, Map.of("WWW-Authenticate",
                "Bearer error=\"invalid_request\", error_description=\"" + headerSafe(message) + "\""));
    }

    /** 429 with {@code Retry-After} in whole seconds (at least 1). */
    public static ApiRejection tooManyRequests(long retryAfterSeconds, String message) {
        return new ApiRejection(429, "rate_limited", message, Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    /** 413: a request larger than the API accepts. */
    public static ApiRejection tooLarge(String message) {
        return new ApiRejection(413, "request_too_large", message, Map.of());
    }

    /** 503 with {@code Retry-After}: the token cannot be checked now (e.g. the issuer's keys are unreachable). */
    public static ApiRejection unavailable(String reason, long retryAfterSeconds, String message) {
        return new ApiRejection(503, reason, message, Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Answers every {@link ApiRejection} with its status, headers and JSON body. */
    public static void register(JavalinConfig config) {
        config.routes.exception(ApiRejection.class, (e, ctx) -> {
            e.headers.forEach(ctx::header);
            ctx.attribute(REASON_ATTRIBUTE, e.reason);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", e.status);
            body.put("error", e.getMessage());
            body.put("reason", e.reason);
            ctx.status(e.status).json(body);
        });
    }

    /** RFC 6750 error_description: printable ASCII without '"' and '\'. */
    private static String headerSafe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '\'');
        }
        return b.toString();
    }
}
