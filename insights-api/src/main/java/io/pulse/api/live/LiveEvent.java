package io.pulse.api.live;

import java.util.Objects;

/**
 * One server-sent event for the clients of one tenant: its SSE event name ({@code metrics} or
 * {@code alert}) and its data, serialized to JSON once for every client that receives it.
 */
public record LiveEvent(String tenant, String name, String json) {
    /** SSE event name of a window's metrics (provisional or final). */
    public static final String METRICS = "metrics";
    /** SSE event name of an alert. */
    public static final String ALERT = "alert";

    public LiveEvent {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(json, "json");
    }
}
