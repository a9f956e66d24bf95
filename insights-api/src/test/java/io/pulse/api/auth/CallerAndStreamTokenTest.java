package io.pulse.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.common.testing.MutableClock;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handlers see the verified {@link Caller}; server-sent-event routes (paths ending in /stream) also take the
 * token as {@code ?access_token=}, because EventSource cannot send headers. The two probe routes here are
 * test-only (no real route is under /test-probe): the real stream route is covered by the negative suite
 * once it is registered.
 */
@Timeout(60)
class CallerAndStreamTokenTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private static final ObjectMapper json = new ObjectMapper();
    private static final TestIssuer issuer = TestIssuer.withKeyId("key-1");
    private static JwksServer jwks;
    private static SecuredApp app;

    @BeforeAll
    static void start() throws Exception {
        jwks = JwksServer.serving(issuer.publicJwk());
        MutableClock clock = new MutableClock(NOW);
        var api = SecuredApp.oidcApi(jwks.url(), 1_000_000);
        app = SecuredApp.start(ApiSecurity.of(api, JwtVerifier.oidc(api, clock), clock), clock, config -> {
            config.routes.get("/api/v1/tenants/{tenant}/test-probe/caller", ctx -> {
                Caller c = Caller.of(ctx);
                ctx.json(Map.of("subject", c.subject(), "tenant", c.tenant().orElse("-"), "admin", c.admin(),
                        "tokenId", c.tokenId(), "clientId", c.clientId()));
            });
            config.routes.sse("/api/v1/tenants/{tenant}/test-probe/stream", client -> {
                client.sendEvent("caller", Caller.of(client.ctx()).subject());
                client.close();
            });
        });
    }

    @AfterAll
    static void stop() {
        app.close();
        jwks.close();
    }

    @Test
    void handlersSeeTheVerifiedCaller() throws Exception {
        String token = issuer.sign(TestIssuer.tenantClaims("contoso", NOW).jwtID("token-7").build());

        JsonNode caller = json.readTree(app.get("/api/v1/tenants/contoso/test-probe/caller", token).body());

        assertThat(caller.get("subject").asText()).isEqualTo("oid-contoso");
        assertThat(caller.get("tenant").asText()).isEqualTo("contoso");
        assertThat(caller.get("admin").asBoolean()).isFalse();
        assertThat(caller.get("tokenId").asText()).isEqualTo("token-7");
        assertThat(caller.get("clientId").asText()).isEqualTo("dashboard-client");
    }

    @Test
    void streamsTakeTheTokenFromTheQuery() throws Exception {
        String token = issuer.sign(TestIssuer.tenantClaims("contoso", NOW).build());

        HttpResponse<String> r = app.send(app.request("/api/v1/tenants/contoso/test-probe/stream?access_token=" + enc(token))
                .header("Accept", "text/event-stream"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("event: caller").contains("data: oid-contoso");
    }

    @Test
    void streamsRefuseHostileQueryTokensAndTokensSentTwice() throws Exception {
        String contoso = issuer.sign(TestIssuer.tenantClaims("contoso", NOW).build());
        String unsigned = TestIssuer.unsigned(TestIssuer.tenantClaims("contoso", NOW).build());

        HttpResponse<String> none = app.get("/api/v1/tenants/contoso/test-probe/stream", null);
        HttpResponse<String> algNone = app.get("/api/v1/tenants/contoso/test-probe/stream?access_token=" + enc(unsigned), null);
        HttpResponse<String> otherTenant = app.get("/api/v1/tenants/fabrikam/test-probe/stream?access_token=" + enc(contoso), null);
        HttpResponse<String> twice = app.get("/api/v1/tenants/contoso/test-probe/stream?access_token=" + enc(contoso), contoso);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json.readTree(none.body()).get("error").asText()).contains("access_token");
        assertThat(algNone.statusCode()).isEqualTo(401);
        assertThat(otherTenant.statusCode()).isEqualTo(403);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json.readTree(twice.body()).get("reason").asText()).isEqualTo("token_twice");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
