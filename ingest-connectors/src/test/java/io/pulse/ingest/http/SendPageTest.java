package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page to send an event by hand, and the credential look-up it uses to list the key's tenants. */
class SendPageTest {
    private IngestServer server;

    @BeforeEach
    void start() {
        server = IngestServer.start(TestDelivery.collecting(), settings().build(), CLOCK);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesThePageAndItsScript() {
        HttpResponse<String> page = server.get(IngestHttp.SEND_PAGE_PATH, null);
        HttpResponse<String> script = server.get(IngestHttp.SEND_PAGE_PATH + ".js", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<form id=\"send\"").contains("id=\"tenant\"").contains("id=\"type\"").contains("src=\"/ingest/send.js\"");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(script.body()).contains("'" + IngestHttp.EVENTS_PATH + "'").contains("'" + IngestHttp.CREDENTIAL_PATH + "'").contains("X-Api-Key");
    }

    @Test
    void tellsAKeyHolderItsSourceAndTenants() {
        HttpResponse<String> r = server.get(IngestHttp.CREDENTIAL_PATH, WEBSHOP_KEY);

        assertThat(r.statusCode()).isEqualTo(200);
        var body = IngestServer.json(r);
        assertThat(body.get("source").asText()).isEqualTo("http/webshop");
        assertThat(body.get("tenants")).extracting(t -> t.asText()).containsExactly("contoso", "fabrikam");
        assertThat(server.get(IngestHttp.CREDENTIAL_PATH, "guess").statusCode()).isEqualTo(403);
    }
}
