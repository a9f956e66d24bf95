package io.pulse.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.common.testing.MutableClock;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OIDC token verification against a real JWKS endpoint: key rotation, the bounded refresh on unknown key ids,
 * nbf/exp with the configured skew (60 s), Entra ID's claims, and an unreachable JWKS.
 */
@Timeout(60)
class TokenVerificationTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(NOW);
    private final TestIssuer key1 = TestIssuer.withKeyId("key-1");
    private final TestIssuer key2 = TestIssuer.withKeyId("key-2");
    private JwksServer jwks;
    private SecuredApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (jwks != null) {
            jwks.close();
        }
    }

    private void start() throws Exception {
        jwks = JwksServer.serving(key1.publicJwk());
        var api = SecuredApp.oidcApi(jwks.url(), 1_000_000);
        app = SecuredApp.start(ApiSecurity.of(api, JwtVerifier.oidc(api, clock), clock), clock);
    }

    @Test
    void fetchesTheJwksAgainWhenANewKeyIdAppears() throws Exception {
        start();
        assertThat(metrics(key1.sign(TestIssuer.tenantClaims("contoso", NOW).build())).statusCode()).isEqualTo(200);
        assertThat(jwks.fetches()).isEqualTo(1);

        jwks.rotateTo(key1.publicJwk(), key2.publicJwk()); // the issuer rolls its keys over
        HttpResponse<String> rotated = metrics(key2.sign(TestIssuer.tenantClaims("contoso", NOW).build()));

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(jwks.fetches()).isEqualTo(2);
        assertThat(metrics(key1.sign(TestIssuer.tenantClaims("contoso", NOW).build())).statusCode()).isEqualTo(200);
        assertThat(jwks.fetches()).as("known keys come from the cache").isEqualTo(2);
    }

    @Test
    void unknownKeyIdsDoNotHammerTheJwksEndpoint() throws Exception {
        start();
        TestIssuer stranger = TestIssuer.withKeyId("not-ours");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = metrics(stranger.sign(TestIssuer.tenantClaims("contoso", NOW).build()));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(json.readTree(r.body()).get("reason").asText()).isEqualTo("unknown_key_id");
        }
        assertThat(jwks.fetches()).as("first load plus at most one refresh per interval").isLessThanOrEqualTo(2);
    }

    @Test
    void notBeforeIsHonouredWithTheConfiguredSkew() throws Exception {
        start();
        String beyondSkew = key1.sign(TestIssuer.tenantClaims("contoso", NOW).notBeforeTime(Date.from(NOW.plusSeconds(120))).build());
        String withinSkew = key1.sign(TestIssuer.tenantClaims("contoso", NOW).notBeforeTime(Date.from(NOW.plusSeconds(30))).build());

        HttpResponse<String> early = metrics(beyondSkew);
        assertThat(early.statusCode()).isEqualTo(401);
        assertThat(json.readTree(early.body()).get("reason").asText()).isEqualTo("not_yet_valid");
        assertThat(early.headers().firstValue("WWW-Authenticate")).get().asString().contains("error=\"invalid_token\"").contains("nbf");
        assertThat(metrics(withinSkew).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(61)); // nbf + 120 s is now within 60 s
        assertThat(metrics(beyondSkew).statusCode()).isEqualTo(200);
    }

    @Test
    void expiryIsHonouredWithTheConfiguredSkew() throws Exception {
        start();
        String token = key1.sign(TestIssuer.tenantClaims("contoso", NOW.minus(Duration.ofHours(1)))
                .expirationTime(Date.from(NOW.minusSeconds(30))).build());

        assertThat(metrics(token).statusCode()).as("expired 30 s ago, skew 60 s").isEqualTo(200);
        clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> late = metrics(token);
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(json.readTree(late.body()).get("reason").asText()).isEqualTo("expired");
        assertThat(json.readTree(late.body()).get("error").asText()).contains("expired");
    }

    @Test
    void understandsEntraIdClaims() throws Exception {
        jwks = JwksServer.serving(key1.publicJwk());
        JwtVerifier verifier = JwtVerifier.oidc(SecuredApp.oidcApi(jwks.url(), 600), clock);

        Caller reader = verifier.verify(key1.sign(TestIssuer.tenantClaims("contoso", NOW).jwtID(null).build()));
        Caller admin = verifier.verify(key1.sign(TestIssuer.adminClaims(NOW).claim("azp", null).claim("appid", "legacy-client")
                .jwtID("jti-1").build()));
        Caller subOnly = verifier.verify(key1.sign(TestIssuer.tenantClaims("fabrikam", NOW).claim("oid", null).build()));

        assertThat(reader.subject()).isEqualTo("oid-contoso");
        assertThat(reader.tenant()).contains("contoso");
        assertThat(reader.admin()).isFalse();
        assertThat(reader.clientId()).isEqualTo("dashboard-client");
        assertThat(reader.tokenId()).isNotEqualTo("-"); // Entra's uti
        assertThat(reader.mayRead("contoso")).isTrue();
        assertThat(reader.mayRead("fabrikam")).isFalse();
        assertThat(admin.admin()).isTrue();
        assertThat(admin.tenant()).isEqualTo(Optional.empty());
        assertThat(admin.clientId()).isEqualTo("legacy-client");
        assertThat(admin.tokenId()).isEqualTo("jti-1");
        assertThat(admin.mayRead("fabrikam")).isTrue();
        assertThat(subOnly.subject()).isEqualTo("sub-fabrikam");
    }

    @Test
    void aCustomTenantClaimAndAdminRoleAreHonoured() throws Exception {
        jwks = JwksServer.serving(key1.publicJwk());
        var api = SecuredApp.api(java.util.Map.of("pulse.api.auth.mode", "oidc", "pulse.api.auth.issuer", TestIssuer.ISSUER,
                "pulse.api.auth.audience", TestIssuer.AUDIENCE, "pulse.api.auth.jwks-url", jwks.url(),
                "pulse.api.auth.tenant-claim", "extension_retailer", "pulse.api.auth.admin-role", "Insights.All"));
        JwtVerifier verifier = JwtVerifier.oidc(api, clock);

        Caller c = verifier.verify(key1.sign(TestIssuer.tenantClaims("contoso", NOW).claim("extension_retailer", "northwind").build()));
        Caller defaultAdminRole = verifier.verify(key1.sign(TestIssuer.adminClaims(NOW).build()));
        Caller customAdmin = verifier.verify(key1.sign(TestIssuer.adminClaims(NOW).claim("roles", List.of("Insights.All")).build()));

        assertThat(c.tenant()).contains("northwind");
        assertThat(defaultAdminRole.admin()).as("Pulse.Admin is not the configured role").isFalse();
        assertThat(customAdmin.admin()).isTrue();
    }

    @Test
    void anUnreachableJwksIs503WithRetryAfterNot200() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var api = SecuredApp.oidcApi("http://127.0.0.1:" + closedPort + "/keys", 600);
        app = SecuredApp.start(ApiSecurity.of(api, JwtVerifier.oidc(api, clock), clock), clock);

        HttpResponse<String> r = metrics(key1.sign(TestIssuer.tenantClaims("contoso", NOW).build()));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(json.readTree(r.body()).get("reason").asText()).isEqualTo("keys_unavailable");
    }

    @Test
    void refusesAllowListsWithNoneOrHmac() {
        var api = SecuredApp.oidcApi("http://127.0.0.1:1/keys", 600);
        var hmac = new io.pulse.common.config.PulseConfig.Api(api.authMode(), api.oidc(), List.of("RS256", "HS256"), api.clockSkew(),
                api.tenantClaim(), api.adminRole(), api.requestsPerMinute());
        var none = new io.pulse.common.config.PulseConfig.Api(api.authMode(), api.oidc(), List.of("none"), api.clockSkew(),
                api.tenantClaim(), api.adminRole(), api.requestsPerMinute());

        assertThatThrownBy(() -> JwtVerifier.oidc(hmac, clock)).hasMessageContaining("HS256");
        assertThatThrownBy(() -> JwtVerifier.oidc(none, clock)).hasMessageContaining("none");
    }

    private HttpResponse<String> metrics(String token) throws Exception {
        return app.get("/api/v1/tenants/contoso/metrics", token);
    }
}
