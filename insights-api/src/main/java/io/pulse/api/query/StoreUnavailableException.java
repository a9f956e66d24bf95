package io.pulse.api.query;

import java.time.Duration;

/** The state needed to answer is not queryable right now (starting, restoring, rebalancing); try again shortly. */
public final class StoreUnavailableException extends RuntimeException {
    private final Duration retryAfter;

    public StoreUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
