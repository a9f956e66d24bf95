package io.pulse.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.pulse.api.InsightsApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream route over real HTTP, fed through a real hub. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveStreamControllerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final LiveHub hub = new LiveHub(16);
    private Javalin app;

    @AfterEach
    void stop() {
        hub.close();
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void streamsTheTenantsEventsAndNothingOfAnotherTenant() throws Exception {
        start(Duration.ofSeconds(15));
        Lines lines = open("contoso");
        await().atMost(DEADLINE).until(() -> hub.clientCount("contoso") == 1);

        hub.publish(new LiveEvent("contoso", LiveEvent.METRICS, "{\"events\":1}"));
        hub.publish(new LiveEvent("fabrikam", LiveEvent.METRICS, "{\"events\":666}"));
        hub.publish(new LiveEvent("contoso", LiveEvent.ALERT, "{\"metric\":\"REVENUE\"}"));

        await().atMost(DEADLINE).until(() -> lines.received.contains("data: {\"metric\":\"REVENUE\"}"));
        assertThat(lines.received).containsSubsequence(
                "event: metrics", "data: {\"events\":1}", "event: alert", "data: {\"metric\":\"REVENUE\"}");
        assertThat(lines.received).noneMatch(l -> l.contains("666"));
    }

    @Test
    void sendsAHeartbeatCommentWhenNothingHappens() throws Exception {
        start(Duration.ofMillis(200));
        Lines lines = open("contoso");

        await().atMost(DEADLINE).until(() -> lines.received.stream().filter(l -> l.startsWith(":") && l.contains("heartbeat")).count() >= 2);
    }

    @Test
    void endsTheStreamWhenTheServerShutsTheHub() throws Exception {
        start(Duration.ofSeconds(15));
        Lines lines = open("contoso");
        await().atMost(DEADLINE).until(() -> hub.clientCount("contoso") == 1);

        hub.close();

        await().atMost(DEADLINE).untilTrue(lines.ended);
        assertThat(get("/api/v1/tenants/contoso/stream", "text/event-stream").statusCode())
                .as("no new stream while shutting down").isEqualTo(503);
    }

    @Test
    void refusesARequestThatDoesNotAcceptEventStreams() throws Exception {
        start(Duration.ofSeconds(15));

        HttpResponse<String> r = get("/api/v1/tenants/contoso/stream", "application/json");

        assertThat(r.statusCode()).isEqualTo(406);
        assertThat(json.readTree(r.body()).get("error").asText()).contains("text/event-stream");
    }

    @Test
    void refusesAnInvalidTenant() throws Exception {
        start(Duration.ofSeconds(15));

        HttpResponse<String> r = get("/api/v1/tenants/Not_A_Tenant/stream", "text/event-stream");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).get("error").asText()).contains("not a valid tenant id");
    }

    private void start(Duration heartbeat) {
        LiveStreamController controller = new LiveStreamController(hub, heartbeat);
        app = Javalin.create(cfg -> {
            InsightsApi.configureServerUnguarded(cfg);
            cfg.routes.get("/api/v1/tenants/{tenant}/stream", controller::getStream);
        }).start("127.0.0.1", 0);
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Reads the stream's lines on a thread of its own. */
    private Lines open(String tenant) throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/v1/tenants/" + tenant + "/stream"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        Lines lines = new Lines();
        Thread reader = new Thread(() -> {
            try (Stream<String> body = r.body()) {
                body.forEach(lines.received::add);
            } catch (RuntimeException e) {
                // connection closed under the reader: the stream ended
            } finally {
                lines.ended.set(true);
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static final class Lines {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicBoolean ended = new AtomicBoolean();
    }
}
