package io.pulse.common.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server that answers every request with one canned response and remembers the last
 * request, to test what the REST client sends and how it reads answers (including Confluent's errors).
 */
final class StubRegistryServer implements AutoCloseable {
    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String body = "{}";
    private volatile boolean hang;
    volatile String method;
    volatile String rawPath;
    volatile String contentType;
    volatile String authorization;
    volatile String requestBody;

    StubRegistryServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    void answer(int status, String body) {
        this.status = status;
        this.body = body.replace('\'', '"');
    }

    /** Never answer (until closed): for timeouts. */
    void hang() {
        this.hang = true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        method = exchange.getRequestMethod();
        rawPath = exchange.getRequestURI().getRawPath();
        contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        authorization = exchange.getRequestHeaders().getFirst("Authorization");
        requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (hang) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
