package io.pulse.launcher.wiring;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.api.InsightsApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one HTTP server of a Pulse process, on {@code pulse.api.port} whatever the components: {@code GET /health/live},
 * {@code GET /health/ready} (200 only when every component of the process is ready), {@code GET /metrics}
 * (Prometheus text), plus each component's own routes.
 */
final class PulseHttpServer implements AutoCloseable {
    private final Javalin app;

    private PulseHttpServer(Javalin app) {
        this.app = app;
    }

    /** Creates the server with every component's routes and starts it on {@code port} (0: a free one). */
    static PulseHttpServer start(int port, List<PipelineComponent> components, PrometheusMeterRegistry meters) {
        HealthController health = new HealthController(components);
        Javalin app = Javalin.create(cfg -> {
            // JSON mapping, error answers, no banner; the insights component adds the API's guards for /api itself.
            InsightsApi.configureServerUnguarded(cfg);
            components.forEach(c -> c.configure(cfg));
            cfg.routes.get("/health/live", health::live);
            cfg.routes.get("/health/ready", health::ready);
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
        });
        app.start(port);
        return new PulseHttpServer(app);
    }

    int port() {
        return app.port();
    }

    /** Stops answering at once. */
    @Override
    public void close() {
        app.stop();
    }

    /** Liveness (the process answers) and readiness (every component is ready), with each component's state. */
    static final class HealthController {
        private final List<PipelineComponent> components;

        HealthController(List<PipelineComponent> components) {
            this.components = List.copyOf(components);
        }

        void live(Context ctx) {
            ctx.json(Map.of("status", "UP"));
        }

        /**
         * 200 with status UP when every component is ready, else 503 with status DOWN; {@code components} maps each
         * one to its state, and {@code streams} repeats Kafka Streams' state when the process runs the insights.
         */
        void ready(Context ctx) {
            boolean ready = true;
            Map<String, String> states = new LinkedHashMap<>();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "UP");
            for (PipelineComponent c : components) {
                ComponentReadiness r = c.readiness();
                ready &= r.ready();
                states.put(c.kind().id(), r.state());
                if (c.kind() == Component.INSIGHTS) {
                    body.put("streams", r.state());
                }
            }
            body.put("status", ready ? "UP" : "DOWN");
            body.put("components", states);
            ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
        }
    }
}
