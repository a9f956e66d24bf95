package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.pulse.ingest.source.IngestSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The ingest app on a free port, and a real HTTP client to talk to it. */
final class IngestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final IngestSources sources;

    private IngestServer(Javalin app, IngestSources sources) {
        this.app = app;
        this.sources = sources;
    }

    static IngestServer start(TestDelivery delivery, IngestHttpSettings settings, Clock clock) {
        return start(delivery, settings, clock, new IngestSources());
    }

    static IngestServer start(TestDelivery delivery, IngestHttpSettings settings, Clock clock, IngestSources sources) {
        return new IngestServer(IngestHttp.create(delivery, settings, sources, clock).start("127.0.0.1", 0), sources);
    }

    IngestSources sources() {
        return sources;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    HttpResponse<String> post(String path, String contentType, String key, String body) {
        return send(request(path, contentType, key, Map.of()).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> post(String path, String contentType, String key, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        return send(request(path, contentType, key, headers).POST(body).build());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String contentType, String key, String body) {
        return http.sendAsync(request(path, contentType, key, Map.of()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String key) {
        return send(request(path, null, key, Map.of()).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path, String contentType, String key, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header(IngestHttp.KEY_HEADER, key);
        }
        headers.forEach(b::header);
        return b;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
