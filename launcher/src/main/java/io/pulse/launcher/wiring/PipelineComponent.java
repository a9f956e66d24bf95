package io.pulse.launcher.wiring;

import io.javalin.config.JavalinConfig;
import java.util.Optional;

/**
 * One selectable part of a Pulse process. Its life has three steps: {@link #configure} adds its routes to the
 * shared HTTP server before the server is created; {@link #start} runs once the server listens; {@link #close}
 * stops what it started, in reverse order, before the server stops.
 */
interface PipelineComponent extends AutoCloseable {
    Component kind();

    /** Adds this component's routes (and their guards and error answers) to the shared server. */
    void configure(JavalinConfig config);

    /**
     * Starts the component's work.
     *
     * @param boundPort the port the shared server actually listens on
     */
    void start(int boundPort);

    /** What /health/ready reports for this component. */
    ComponentReadiness readiness();

    /** Why the component stopped working on its own (a failure, not a close), if it did: the process should then exit. */
    Optional<String> failure();

    @Override
    void close();
}
