package io.pulse.api.live;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.pulse.api.query.StoreUnavailableException;
import io.pulse.common.config.TenantIds;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/tenants/{tenant}/stream}: the tenant's live {@code metrics} and {@code alert}
 * events as server-sent events, with a heartbeat comment when nothing happened for a while (it keeps
 * proxies from closing the connection and finds clients that went away). Each connection has its
 * own sender, fed by a bounded queue of the {@link LiveHub}. Authorization happens before this
 * handler, like on every tenant route.
 */
public final class LiveStreamController {
    /** Time between heartbeats on a quiet stream. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(LiveStreamController.class);

    private final LiveHub hub;
    private final Duration heartbeat;
    private final SseHandler sse = new SseHandler(this::stream);

    public LiveStreamController(LiveHub hub, Duration heartbeat) {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be a positive duration, got " + heartbeat);
        }
        this.hub = hub;
        this.heartbeat = heartbeat;
    }

    /** Checks the request, then hands the connection to Javalin's SSE support. */
    public void getStream(Context ctx) throws Exception {
        String tenant = ctx.pathParam("tenant");
        if (!TenantIds.isValid(tenant)) {
            throw new BadRequestResponse("tenant '" + tenant + "' is not a valid tenant id (" + TenantIds.RULE + ")");
        }
        String accept = ctx.header(Header.ACCEPT);
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new HttpResponseException(HttpStatus.NOT_ACCEPTABLE.getCode(),
                    "this route streams server-sent events: send 'Accept: text/event-stream' (EventSource does)");
        }
        if (hub.isClosed()) {
            throw new StoreUnavailableException("the live stream is shutting down; reconnect to another instance or later",
                    Duration.ofSeconds(5), null);
        }
        sse.handle(ctx);
    }

    private void stream(SseClient client) {
        String tenant = client.ctx().pathParam("tenant");
        String who = client.ctx().req().getRemoteAddr() + ":" + client.ctx().req().getRemotePort();
        LiveClient live;
        try {
            live = hub.connect(tenant, who);
        } catch (IllegalStateException shuttingDown) {
            client.close();
            return;
        }
        client.onClose(() -> live.end(LiveClient.EndReason.CLOSED)); // wakes the sender; it disconnects itself
        log.debug("Live client {} of tenant {} connected", who, tenant);
        try {
            client.sendComment("live stream of tenant " + tenant);
            while (!client.terminated()) {
                Optional<LiveEvent> event = live.next(heartbeat);
                if (event.isPresent()) {
                    client.sendEvent(event.get().name(), event.get().json());
                } else if (live.ended().isPresent()) {
                    break;
                } else {
                    client.sendComment("heartbeat");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
            hub.disconnect(live); // last: the hub's close() waits for it
            log.debug("Live client {} of tenant {} disconnected ({})", who, tenant,
                    live.ended().map(Enum::name).orElse("connection closed"));
        }
    }
}
