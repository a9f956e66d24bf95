package io.pulse.api.insights;

import io.pulse.api.query.WindowSize;
import java.time.Instant;

/** A top-products request, checked: a window size the topology ranks ({@code PT1M} or {@code PT1H}). */
public record TopProductsQuery(String tenant, WindowSize window, Instant from, Instant to) {
}
