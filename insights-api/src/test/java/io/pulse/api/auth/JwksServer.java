package io.pulse.api.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** An issuer's JWKS endpoint in a test (JDK HttpServer): serves the current public keys and counts fetches. */
public final class JwksServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicReference<JWKSet> keys;
    private final AtomicInteger fetches = new AtomicInteger();

    private JwksServer(HttpServer server, JWKSet keys) {
        this.server = server;
        this.keys = new AtomicReference<>(keys);
    }

    public static JwksServer serving(JWK... keys) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        JwksServer jwks = new JwksServer(server, new JWKSet(List.of(keys)));
        server.createContext("/discovery/v2.0/keys", exchange -> {
            jwks.fetches.incrementAndGet();
            byte[] body = jwks.keys.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return jwks;
    }

    /** Key rotation: serve these keys from now on. */
    public void rotateTo(JWK... keys) {
        this.keys.set(new JWKSet(List.of(keys)));
    }

    public int fetches() {
        return fetches.get();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/discovery/v2.0/keys";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
