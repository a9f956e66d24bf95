package io.pulse.ingest.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A typed answer of the ingest and admin endpoints: handlers throw it, {@link IngestErrors} writes it.
 * Every 4xx carries a reason (and per-event problems where they apply); a 429 or 503 carries {@code Retry-After}.
 */
public final class IngestHttpException extends RuntimeException {
    private final int status;
    private final List<EventProblem> problems;
    private final Duration retryAfter;

    private IngestHttpException(int status, String message, List<EventProblem> problems, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.problems = List.copyOf(problems);
        this.retryAfter = retryAfter;
    }

    public static IngestHttpException badRequest(String message) {
        return new IngestHttpException(400, message, List.of(), null);
    }

    public static IngestHttpException invalidEvents(String message, List<EventProblem> problems) {
        return new IngestHttpException(400, message, problems, null);
    }

    public static IngestHttpException missingCredential(String message) {
        return new IngestHttpException(401, message, List.of(), null);
    }

    public static IngestHttpException forbidden(String message) {
        return new IngestHttpException(403, message, List.of(), null);
    }

    public static IngestHttpException forbiddenEvents(String message, List<EventProblem> problems) {
        return new IngestHttpException(403, message, problems, null);
    }

    public static IngestHttpException notFound(String message) {
        return new IngestHttpException(404, message, List.of(), null);
    }

    public static IngestHttpException tooLarge(String message) {
        return new IngestHttpException(413, message, List.of(), null);
    }

    public static IngestHttpException unsupportedMediaType(String message) {
        return new IngestHttpException(415, message, List.of(), null);
    }

    public static IngestHttpException overQuota(String message, Duration retryAfter) {
        return new IngestHttpException(429, message, List.of(), retryAfter);
    }

    public static IngestHttpException unavailable(String message, Duration retryAfter) {
        return new IngestHttpException(503, message, List.of(), retryAfter);
    }

    public int status() {
        return status;
    }

    public List<EventProblem> problems() {
        return problems;
    }

    /** Whole seconds, at least 1, when the client should retry later. */
    public Optional<Long> retryAfterSeconds() {
        if (retryAfter == null) {
            return Optional.empty();
        }
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Optional.of(Math.max(1, seconds));
    }
}
