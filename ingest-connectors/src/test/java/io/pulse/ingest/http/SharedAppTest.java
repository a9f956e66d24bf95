package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.array;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageView;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.pulse.ingest.source.IngestSources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ingest mounted on an app that serves other routes and has its own catch-all error handler (as the insights
 * API does in the demo): ingest's answers stay ingest's, the app's stay the app's.
 */
class SharedAppTest {
    private Javalin app;

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void ingestKeepsItsAnswersNextToTheAppsCatchAllAndRoutes() throws Exception {
        TestDelivery delivery = TestDelivery.collecting();
        IngestSources sources = new IngestSources();
        AtomicReference<List<HttpSource>> mounted = new AtomicReference<>();
        app = Javalin.create(config -> {
            config.routes.exception(Exception.class, (e, ctx) -> ctx.status(500).result("the app's catch-all"));
            config.routes.get("/api/v1/hello", ctx -> ctx.result("hello"));
            mounted.set(IngestHttp.configure(config, delivery, settings().build(), sources, CLOCK));
        }).start("127.0.0.1", 0);
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + app.port());

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve(IngestHttp.EVENTS_PATH))
                .header("Content-Type", "application/json").header(IngestHttp.KEY_HEADER, WEBSHOP_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("[{")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(base.resolve(IngestHttp.EVENTS_PATH))
                .header("Content-Type", "application/json").header(IngestHttp.KEY_HEADER, WEBSHOP_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(array(pageView("contoso", newId())))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/hello")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("malformed JSON");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(other.body()).isEqualTo("hello");
        assertThat(mounted.get()).extracting(s -> s.id().value()).containsExactly("http/webshop", "http/pos");
        assertThat(sources.all()).hasSize(2);
    }
}
