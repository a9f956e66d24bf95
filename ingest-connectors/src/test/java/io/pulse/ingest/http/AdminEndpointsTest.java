package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.ADMIN_KEY;
import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.array;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageView;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.ingest.delivery.SourceId;
import io.pulse.ingest.source.IngestSource;
import io.pulse.ingest.source.IngestSources;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin endpoints: list sources and the delivery status, pause and resume any source, behind the admin key. */
class AdminEndpointsTest {
    private static final String SOURCES = IngestHttp.ADMIN_SOURCES_PATH;

    private final TestDelivery delivery = TestDelivery.collecting();
    private final FakePoller poller = new FakePoller();
    private IngestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private void start(IngestHttpSettings settings) {
        IngestSources sources = new IngestSources();
        sources.register(poller);
        server = IngestServer.start(delivery, settings, CLOCK, sources);
    }

    private HttpResponse<String> post(String path, String key) {
        return server.post(path, null, key, Map.of(), HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void listsEverySourceWithItsStateAndTheDeliveryStatus() {
        start(settings().build());
        server.post(IngestHttp.EVENTS_PATH, "application/json", WEBSHOP_KEY, array(pageView("contoso", newId())));

        HttpResponse<String> r = server.get(SOURCES, ADMIN_KEY);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = IngestServer.json(r);
        assertThat(body.get("sources")).extracting(s -> s.get("id").asText()).containsExactly("http/pos", "http/webshop", "jdbc/pos-db");
        assertThat(body.get("sources")).extracting(s -> s.get("state").asText()).containsOnly("RUNNING");
        assertThat(body.get("delivery").get("circuit").asText()).isEqualTo("CLOSED");
        assertThat(body.get("delivery").get("online").asBoolean()).isTrue();
        assertThat(body.get("delivery").get("delivered").asLong()).isEqualTo(1);
    }

    @Test
    void pausesAndResumesAnHttpSourceWhoseRequestsGet503Meanwhile() {
        start(settings().build());

        HttpResponse<String> paused = post(SOURCES + "/http/webshop/pause", ADMIN_KEY);
        HttpResponse<String> whilePaused = server.post(IngestHttp.EVENTS_PATH, "application/json", WEBSHOP_KEY, array(pageView("contoso", newId())));
        JsonNode listed = IngestServer.json(server.get(SOURCES, ADMIN_KEY)).get("sources");
        HttpResponse<String> resumed = post(SOURCES + "/http/webshop/resume", ADMIN_KEY);
        HttpResponse<String> afterResume = server.post(IngestHttp.EVENTS_PATH, "application/json", WEBSHOP_KEY, array(pageView("contoso", newId())));

        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(IngestServer.json(paused).get("state").asText()).isEqualTo("PAUSED");
        assertThat(whilePaused.statusCode()).isEqualTo(503);
        assertThat(whilePaused.headers().firstValue("Retry-After")).isPresent();
        assertThat(listed.get(1).get("state").asText()).isEqualTo("PAUSED");
        assertThat(IngestServer.json(resumed).get("state").asText()).isEqualTo("RUNNING");
        assertThat(afterResume.statusCode()).isEqualTo(202);
        assertThat(delivery.durableEvents()).hasSize(1);
    }

    @Test
    void pausesSourcesOfOtherKindsThroughTheirInterface() {
        start(settings().build());

        post(SOURCES + "/jdbc/pos-db/pause", ADMIN_KEY);
        boolean pausedAfterPause = poller.paused();
        post(SOURCES + "/jdbc/pos-db/resume", ADMIN_KEY);

        assertThat(pausedAfterPause).isTrue();
        assertThat(poller.paused()).isFalse();
    }

    @Test
    void refusesUnknownSourcesAndWrongKeys() {
        start(settings().build());

        assertThat(post(SOURCES + "/http/nobody/pause", ADMIN_KEY).statusCode()).isEqualTo(404);
        assertThat(post(SOURCES + "/HTTP/Web%20Shop/pause", ADMIN_KEY).statusCode()).isEqualTo(404);
        assertThat(server.get(SOURCES, null).statusCode()).isEqualTo(401);
        assertThat(server.get(SOURCES, WEBSHOP_KEY).statusCode()).as("a source key is no admin key").isEqualTo(403);
        assertThat(post(SOURCES + "/http/webshop/pause", "guess").statusCode()).isEqualTo(403);
        assertThat(server.sources().find(new SourceId("http", "webshop")).orElseThrow().paused()).isFalse();
    }

    @Test
    void withoutAnAdminKeyConfiguredTheAdminEndpointsAreClosed() {
        start(settings().adminKey(null).build());

        HttpResponse<String> r = server.get(SOURCES, ADMIN_KEY);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(IngestServer.json(r).get("error").asText()).contains(IngestHttpSettings.ADMIN_KEY_SHA256);
    }

    /** Another kind of source, registered by the launcher next to the HTTP sources. */
    private static final class FakePoller implements IngestSource {
        private volatile boolean paused;

        @Override
        public SourceId id() {
            return new SourceId("jdbc", "pos-db");
        }

        @Override
        public void start() {
        }

        @Override
        public void pause() {
            paused = true;
        }

        @Override
        public void resume() {
            paused = false;
        }

        @Override
        public boolean paused() {
            return paused;
        }

        @Override
        public void close() {
        }
    }
}
