package io.pulse.ingest.http;

import static io.pulse.ingest.http.TestEvents.CLOCK;
import static io.pulse.ingest.http.TestEvents.WEBSHOP_KEY;
import static io.pulse.ingest.http.TestEvents.array;
import static io.pulse.ingest.http.TestEvents.newId;
import static io.pulse.ingest.http.TestEvents.pageView;
import static io.pulse.ingest.http.TestEvents.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A request refused before its body is read (key, content type, declared size) still gets its answer, and its
 * keep-alive connection carries the next request: the refusal reads and drops the rest of the body (within a
 * bound) instead of leaving it unread, which made Jetty close the connection right after the answer and the
 * client lose that answer to a TCP reset ("HTTP/1.1 header parser received no bytes").
 */
class RefusalKeepsTheConnectionTest {
    private static final int MAX_BYTES = 16 * 1024;
    private static final TestDelivery delivery = TestDelivery.collecting();
    private static IngestServer server;

    @BeforeAll
    static void start() {
        server = IngestServer.start(delivery, settings().maxRequestBytes(MAX_BYTES).maxEventsPerRequest(20).tenantBurst(1000).build(), CLOCK);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void nothingWasDelivered() {
        assertThat(delivery.offeredBatches()).isEmpty();
    }

    static Stream<Arguments> refusalsBeforeTheBodyIsRead() {
        String valid = array(pageView("contoso", newId()));
        String padded = valid + " ".repeat(8 * 1024); // long enough to arrive in more than one piece
        return Stream.of(
                Arguments.of("a body over the size limit", "application/json", WEBSHOP_KEY, "[" + " ".repeat(MAX_BYTES) + "]", 413),
                Arguments.of("no key", "application/json", null, padded, 401),
                Arguments.of("a wrong key", "application/json", "guess", padded, 403),
                Arguments.of("text/plain", "text/plain", WEBSHOP_KEY, padded, 415));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusalsBeforeTheBodyIsRead")
    void theNextRequestOnTheSameConnectionIsAnswered(String name, String contentType, String key, String body, int status) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            // The head and the start of the body; the server refuses the request while the rest is still on its way.
            out.write(head("POST", IngestHttp.EVENTS_PATH, contentType, key, bytes.length));
            out.write(bytes, 0, 100);
            out.flush();
            Thread.sleep(300);
            out.write(bytes, 100, bytes.length - 100);
            out.flush();
            // The next request, on the same connection.
            out.write(head("GET", IngestHttp.CREDENTIAL_PATH, null, WEBSHOP_KEY, -1));
            out.flush();

            Response refused = Response.read(in);
            assertThat(refused.status()).as("%s: %s", name, refused.body()).isEqualTo(status);
            assertThat(refused.body()).contains("\"status\":" + status);
            assertThat(refused.header("connection")).as("the connection is kept").isNotEqualToIgnoringCase("close");
            Response next = Response.read(in);
            assertThat(next.status()).as("the next request on the connection: %s", next.body()).isEqualTo(200);
            assertThat(next.body()).contains("\"source\":\"http/webshop\"");
        }
    }

    @Test
    void aBodyFarOverTheLimitIsNotReadAndTheAnswerSaysTheConnectionCloses() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // Only the head: a declared body beyond what a refusal reads is answered without waiting for it.
            out.write(head("POST", IngestHttp.EVENTS_PATH, "application/json", WEBSHOP_KEY,
                    (long) MAX_BYTES * RequestBodies.DISCARD_LIMITS + 1));
            out.flush();

            Response refused = Response.read(socket.getInputStream());
            assertThat(refused.status()).isEqualTo(413);
            assertThat(refused.header("connection")).isEqualToIgnoringCase("close");
        }
    }

    @Test
    void aPooledClientGetsEveryRefusalOfADeclaredBodyOverTheLimit() {
        String many = array(Stream.generate(() -> pageView("contoso", newId())).limit(21).toArray(com.fasterxml.jackson.databind.JsonNode[]::new));
        String tooLarge = "[" + " ".repeat(MAX_BYTES) + "]";
        for (int i = 0; i < 200; i++) {
            // As in the bad-input suite: a refusal after the body was read, then one before it is read, on the pooled connection.
            HttpResponse<String> events = server.post(IngestHttp.EVENTS_PATH, "application/json", WEBSHOP_KEY, Map.of(),
                    HttpRequest.BodyPublishers.ofString(many));
            assertThat(events.statusCode()).isEqualTo(413);
            HttpResponse<String> bytes = server.post(IngestHttp.EVENTS_PATH, "application/json", WEBSHOP_KEY, Map.of(),
                    HttpRequest.BodyPublishers.ofString(tooLarge));
            assertThat(bytes.statusCode()).as("request %d", i).isEqualTo(413);
        }
    }

    private static byte[] head(String method, String path, String contentType, String key, long contentLength) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (contentType != null) {
            b.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (key != null) {
            b.append(IngestHttp.KEY_HEADER).append(": ").append(key).append("\r\n");
        }
        if (contentLength >= 0) {
            b.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One HTTP/1.1 response with a Content-Length, read off the connection. */
    private record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        static Response read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("the connection ended before a response" + (head.size() > 0 ? " was complete: " + head : ""));
                }
                head.write(c);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
        }
    }
}
