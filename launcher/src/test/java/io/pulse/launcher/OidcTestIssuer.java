package io.pulse.launcher;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.pulse.common.config.ConfigKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenID Connect issuer for multi-instance tests: one RSA key, its JWKS served over real HTTP, and tenant tokens
 * signed with it. Every instance trusts it, as production instances trust Entra ID (dev tokens are per process).
 */
public final class OidcTestIssuer implements AutoCloseable {
    private final String issuer;
    private final String audience;
    private final RSAKey key;
    private final HttpServer server;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private OidcTestIssuer(String issuer, String audience, RSAKey key, HttpServer server) {
        this.issuer = issuer;
        this.audience = audience;
        this.key = key;
        this.server = server;
    }

    public static OidcTestIssuer start(String issuer, String audience) throws IOException, JOSEException {
        RSAKey key = new RSAKeyGenerator(2048).keyID("pulse-test-issuer").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
        server.createContext("/keys", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
        return new OidcTestIssuer(issuer, audience, key, server);
    }

    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys";
    }

    /** The configuration keys that make an instance trust this issuer. */
    public Map<String, String> configuration() {
        return Map.of(
                ConfigKeys.API_AUTH_MODE, "oidc",
                ConfigKeys.API_AUTH_ISSUER, issuer,
                ConfigKeys.API_AUTH_AUDIENCE, audience,
                ConfigKeys.API_AUTH_JWKS_URL, jwksUrl());
    }

    /** A valid token of {@code tenant} for an hour. */
    public String token(String tenant) {
        return tokens.computeIfAbsent(tenant, t -> {
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("it-" + t)
                    .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                    .claim("pulse_tenant", t).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            try {
                jwt.sign(new RSASSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return jwt.serialize();
        });
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
