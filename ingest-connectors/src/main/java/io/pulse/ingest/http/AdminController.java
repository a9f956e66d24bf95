package io.pulse.ingest.http;

import io.javalin.http.Context;
import io.pulse.ingest.delivery.DeliveryStatus;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.delivery.SourceId;
import io.pulse.ingest.source.IngestSource;
import io.pulse.ingest.source.IngestSources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints, behind the admin key: every source's state and the delivery path's status; pause and
 * resume a source by kind and name.
 */
final class AdminController {
    private static final Logger log = LoggerFactory.getLogger(AdminController.class);

    private final Credentials credentials;
    private final IngestSources sources;
    private final EventDelivery delivery;

    AdminController(Credentials credentials, IngestSources sources, EventDelivery delivery) {
        this.credentials = credentials;
        this.sources = sources;
        this.delivery = delivery;
    }

    /** {@code GET /admin/v1/sources}. */
    void list(Context ctx) {
        credentials.admin(ctx);
        List<Map<String, Object>> list = sources.all().stream().map(AdminController::describe).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sources", list);
        body.put("delivery", describe(delivery.status()));
        JsonAnswers.write(ctx, 200, body);
    }

    /** {@code POST /admin/v1/sources/{kind}/{name}/pause}. */
    void pause(Context ctx) {
        credentials.admin(ctx);
        IngestSource source = source(ctx);
        source.pause();
        log.info("Source {} paused by an operator", source.id());
        JsonAnswers.write(ctx, 200, describe(source));
    }

    /** {@code POST /admin/v1/sources/{kind}/{name}/resume}. */
    void resume(Context ctx) {
        credentials.admin(ctx);
        IngestSource source = source(ctx);
        source.resume();
        log.info("Source {} resumed by an operator", source.id());
        JsonAnswers.write(ctx, 200, describe(source));
    }

    private IngestSource source(Context ctx) {
        String kind = ctx.pathParam("kind");
        String name = ctx.pathParam("name");
        SourceId id;
        try {
            id = new SourceId(kind, name);
        } catch (IllegalArgumentException e) {
            throw IngestHttpException.notFound("no source '" + JsonFields.quote(kind + "/" + name) + "': " + e.getMessage());
        }
        return sources.find(id).orElseThrow(() -> IngestHttpException.notFound("no source '" + id + "'; known: "
                + String.join(", ", sources.all().stream().map(s -> s.id().value()).toList())));
    }

    private static Map<String, Object> describe(IngestSource source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", source.id().value());
        m.put("kind", source.id().kind());
        m.put("name", source.id().name());
        m.put("state", source.paused() ? "PAUSED" : "RUNNING");
        return m;
    }

    private static Map<String, Object> describe(DeliveryStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", status.target());
        m.put("circuit", status.circuit());
        m.put("online", status.online());
        m.put("outboxEvents", status.outboxEvents());
        m.put("delivered", status.delivered());
        m.put("deadLettered", status.deadLettered());
        return m;
    }
}
