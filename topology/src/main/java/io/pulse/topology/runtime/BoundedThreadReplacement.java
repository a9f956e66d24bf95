package io.pulse.topology.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulse's uncaught-exception policy: an error no handler took (processing and production errors normally
 * go to the dead-letter topic) kills its stream thread; the thread is replaced a bounded number of times
 * over the life of the instance, then the instance shuts down cleanly. A crash loop ends instead of spinning,
 * and a one-off fault (a broker hiccup at the wrong moment) does not take the instance down.
 */
final class BoundedThreadReplacement implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(BoundedThreadReplacement.class);

    private final int maxReplacements;
    private final AtomicInteger failures = new AtomicInteger();

    BoundedThreadReplacement(int maxReplacements) {
        if (maxReplacements < 0) {
            throw new IllegalArgumentException("maxReplacements must be 0 or more, got " + maxReplacements);
        }
        this.maxReplacements = maxReplacements;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        int n = failures.incrementAndGet();
        if (n <= maxReplacements) {
            log.error("Stream thread {} failed ({} of {} replacements); replacing it",
                    Thread.currentThread().getName(), n, maxReplacements, error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        log.error("Stream thread {} failed again after {} replacements; shutting this instance down",
                Thread.currentThread().getName(), maxReplacements, error);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Threads replaced so far. */
    int replacements() {
        return Math.min(failures.get(), maxReplacements);
    }
}
