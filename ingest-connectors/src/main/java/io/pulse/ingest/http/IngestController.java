package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.pulse.avro.Envelope;
import io.pulse.ingest.delivery.EventDelivery;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest endpoints. A request is checked in this order, each step refusing with its own status: key
 * (401, 403), content type (415), source paused (503), body size (413), JSON (400), tenants (403), events
 * (400), quota (429); then its events are handed to the delivery path and the answer is 202 once they are
 * durable, or 503 when they could not be made durable in time.
 */
final class IngestController {
    static final String KEY_HEADER = "X-Api-Key";
    static final String JSON = "application/json";
    static final String CLOUDEVENTS = "application/cloudevents+json";
    static final String CLOUDEVENTS_BATCH = "application/cloudevents-batch+json";

    private static final Logger log = LoggerFactory.getLogger(IngestController.class);
    private static final EventFormat PULSE = new PulseJsonFormat();
    private static final EventFormat CLOUDEVENT = CloudEventsFormat.structured();
    private static final EventFormat CLOUDEVENT_BATCH = CloudEventsFormat.batched();
    private static final EventFormat EVENT_GRID = new EventGridFormat();

    private final Credentials credentials;
    private final EventIntake intake;
    private final TenantQuotas quotas;
    private final EventDelivery delivery;
    private final IngestHttpSettings settings;

    IngestController(Credentials credentials, EventIntake intake, TenantQuotas quotas, EventDelivery delivery, IngestHttpSettings settings) {
        this.credentials = credentials;
        this.intake = intake;
        this.quotas = quotas;
        this.delivery = delivery;
        this.settings = settings;
    }

    /** {@code POST /ingest/v1/events}: Pulse events, or CloudEvents in structured or batched mode. */
    void postEvents(Context ctx) {
        refusingKeepsTheConnection(ctx, () -> events(ctx));
    }

    /** {@code POST /ingest/v1/eventgrid}: Event Grid events, or Event Grid's subscription validation. */
    void postEventGrid(Context ctx) {
        refusingKeepsTheConnection(ctx, () -> eventGrid(ctx));
    }

    /**
     * Runs a POST handler; when it refuses the request (most refusals come before the body is read: key, content
     * type, paused source, declared size), what is left of the body is read and dropped first, within a bound, so
     * that the refusal reaches the client and its connection stays usable (see {@link RequestBodies#discardUnread}).
     */
    private void refusingKeepsTheConnection(Context ctx, Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            RequestBodies.discardUnread(ctx, settings.maxRequestBytes());
            throw e;
        }
    }

    private void events(Context ctx) {
        HttpSource source = credentials.source(ctx);
        EventFormat format = switch (mediaType(ctx)) {
            case JSON -> PULSE;
            case CLOUDEVENTS -> CLOUDEVENT;
            case CLOUDEVENTS_BATCH -> CLOUDEVENT_BATCH;
            default -> throw unsupported(ctx, List.of(JSON, CLOUDEVENTS, CLOUDEVENTS_BATCH));
        };
        ensureAccepting(source);
        JsonNode document = JsonDocuments.parse(RequestBodies.read(ctx, settings.maxRequestBytes()));
        accept(ctx, source, intake.read(document, format, source.key()));
    }

    private void eventGrid(Context ctx) {
        HttpSource source = credentials.source(ctx);
        if (!JSON.equals(mediaType(ctx))) {
            throw unsupported(ctx, List.of(JSON));
        }
        JsonNode document = JsonDocuments.parse(RequestBodies.read(ctx, settings.maxRequestBytes()));
        Optional<String> validationCode = EventGridHandshake.validationCode(document, ctx.header(EventGridHandshake.EVENT_TYPE_HEADER));
        if (validationCode.isPresent()) {
            log.info("Answered Event Grid's subscription validation for source {}", source.id());
            JsonAnswers.write(ctx, 200, Map.of("validationResponse", validationCode.get()));
            return;
        }
        ensureAccepting(source);
        accept(ctx, source, intake.read(document, EVENT_GRID, source.key()));
    }

    /**
     * {@code OPTIONS /ingest/v1/events}: the CloudEvents webhook abuse protection (used by Event Grid's CloudEvents
     * delivery): the endpoint agrees to receive events from the asking origin. It grants nothing: events still need a key.
     */
    void webhookOptions(Context ctx) {
        String origin = ctx.header("WebHook-Request-Origin");
        if (origin == null || origin.isBlank()) {
            throw IngestHttpException.badRequest("an OPTIONS request must carry 'WebHook-Request-Origin' (CloudEvents webhook validation)");
        }
        ctx.header("WebHook-Allowed-Origin", origin.trim());
        ctx.header("WebHook-Allowed-Rate", "*");
        ctx.header("Allow", "POST, OPTIONS");
        ctx.status(200);
    }

    /** {@code GET /ingest/v1/credential}: what the presented key may do (the send page lists its tenants). */
    void credential(Context ctx) {
        HttpSource source = credentials.source(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", source.id().value());
        body.put("tenants", source.key().tenants());
        body.put("accepting", source.accepting());
        JsonAnswers.write(ctx, 200, body);
    }

    private void ensureAccepting(HttpSource source) {
        if (!source.accepting()) {
            throw IngestHttpException.unavailable("source '" + source.id() + "' is "
                    + (source.closed() ? "shutting down" : "paused by an operator") + "; retry later", settings.retryAfter());
        }
    }

    private void accept(Context ctx, HttpSource source, List<Envelope> events) {
        Map<String, Long> byTenant = TenantQuotas.countByTenant(events.stream().map(Envelope::getTenant).toList());
        quotas.acquire(byTenant);
        List<String> ids = events.stream().map(Envelope::getEventId).toList();
        ctx.future(() -> durable(source, events).handle((done, error) -> {
            if (error == null) {
                if (source.deliverySucceeded()) {
                    log.info("Events of source {} are durable again", source.id());
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("accepted", ids.size());
                body.put("eventIds", ids);
                JsonAnswers.write(ctx, 202, body);
            } else {
                quotas.release(byTenant); // the client will send these events again
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                boolean late = cause instanceof TimeoutException;
                String why = late ? "the events were not durable within " + settings.requestTimeout().toMillis() + " ms"
                        : "the events could not be made durable (" + cause.getClass().getSimpleName() + ")";
                if (source.deliveryFailed()) {
                    log.warn("Answering 503 to source {}: {} events for tenants {} {}: {}; further failures of this source are logged"
                            + " at DEBUG until its events are durable again", source.id(), ids.size(), byTenant.keySet(),
                            late ? "were not durable in time" : "could not be made durable", cause.toString());
                } else {
                    log.debug("Answering 503 to source {}: {} events: {}", source.id(), ids.size(), cause.toString());
                }
                IngestErrors.answer(ctx, IngestHttpException.unavailable(why + "; none was accepted: send the same request again later",
                        settings.retryAfter()));
            }
            return null;
        }));
    }

    /** The delivery's promise, bounded by the request timeout; a delivery that throws counts as failed. */
    private CompletableFuture<Void> durable(HttpSource source, List<Envelope> events) {
        CompletableFuture<Void> delivered;
        try {
            delivered = delivery.deliver(source.id(), events);
        } catch (RuntimeException e) {
            delivered = CompletableFuture.failedFuture(e);
        }
        Duration timeout = settings.requestTimeout();
        return delivered.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String mediaType(Context ctx) {
        String contentType = ctx.contentType();
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static IngestHttpException unsupported(Context ctx, List<String> supported) {
        String got = ctx.contentType() == null ? "none" : "'" + ctx.contentType() + "'";
        return IngestHttpException.unsupportedMediaType("Content-Type must be " + String.join(" or ", supported) + ", got " + got);
    }
}
