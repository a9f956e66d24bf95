package io.pulse.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.pulse.common.testing.MutableClock;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The negative security suite: every route registered under /api/v1/tenants (enumerated from the app's router,
 * so routes added later are covered without touching this test) refuses each hostile token with the exact
 * 401 or 403 and its reason, and never lets it reach the route's handler; a valid token of the tenant and an
 * admin token do reach it. OIDC mode, with the issuer's keys served by a real JWKS endpoint.
 */
@Timeout(120)
class NegativeSecuritySuiteTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private static final String TENANT = "contoso";
    private static final String OTHER = "fabrikam";
    private static final ObjectMapper json = new ObjectMapper();

    private static final TestIssuer issuer = TestIssuer.withKeyId("entra-key-1");
    private static final TestIssuer stranger = TestIssuer.withKeyId("unknown-kid");
    private static final TestIssuer impostor = TestIssuer.withKeyId("entra-key-1"); // another key claiming the issuer's kid
    private static JwksServer jwks;
    private static SecuredApp app;

    @BeforeAll
    static void start() throws Exception {
        jwks = JwksServer.serving(issuer.publicJwk());
        MutableClock clock = new MutableClock(NOW);
        var api = SecuredApp.oidcApi(jwks.url(), 1_000_000);
        app = SecuredApp.start(ApiSecurity.of(api, JwtVerifier.oidc(api, clock), clock), clock);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (jwks != null) {
            jwks.close();
        }
    }

    /** A hostile request: how its token is made for the path's tenant, and the exact refusal expected. */
    private record Case(String name, Function<String, String> token, int status, String reason) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("no token", t -> null, 401, "missing_token"),
                new Case("alg=none", t -> TestIssuer.unsigned(TestIssuer.tenantClaims(t, NOW).build()), 401, "algorithm_not_allowed"),
                new Case("HS256 keyed with the RSA public key", t -> issuer.hs256WithPublicKey(TestIssuer.tenantClaims(t, NOW).build()),
                        401, "algorithm_not_allowed"),
                new Case("expired", t -> issuer.sign(TestIssuer.tenantClaims(t, NOW.minus(Duration.ofHours(2)))
                        .expirationTime(Date.from(NOW.minus(Duration.ofMinutes(5)))).build()), 401, "expired"),
                new Case("wrong audience", t -> issuer.sign(TestIssuer.tenantClaims(t, NOW).audience("api://someone-else").build()),
                        401, "wrong_audience"),
                new Case("wrong issuer", t -> issuer.sign(TestIssuer.tenantClaims(t, NOW)
                        .issuer("https://login.microsoftonline.com/00000000-dead-beef-0000-000000000000/v2.0").build()), 401, "wrong_issuer"),
                new Case("unknown key id", t -> stranger.sign(TestIssuer.tenantClaims(t, NOW).build()), 401, "unknown_key_id"),
                new Case("another key under the issuer's key id", t -> impostor.sign(TestIssuer.tenantClaims(t, NOW).build()),
                        401, "bad_signature"),
                new Case("no exp", t -> issuer.sign(new JWTClaimsSet.Builder(TestIssuer.tenantClaims(t, NOW).build())
                        .expirationTime(null).build()), 401, "missing_claims"),
                new Case("not a JWT", t -> "not-a-jwt", 401, "malformed_token"),
                new Case("valid token for another tenant", t -> issuer.sign(TestIssuer.tenantClaims(t.equals(TENANT) ? OTHER : TENANT, NOW)
                        .build()), 403, "wrong_tenant"),
                new Case("valid token with no tenant and no admin role", t -> issuer.sign(TestIssuer.tenantClaims(t, NOW)
                        .claim("pulse_tenant", null).build()), 403, "wrong_tenant"),
                new Case("valid token with another app role", t -> issuer.sign(TestIssuer.tenantClaims(OTHER.equals(t) ? TENANT : OTHER, NOW)
                        .claim("roles", List.of("Pulse.Reader")).build()), 403, "wrong_tenant"));
    }

    @Test
    void theRouterHasTenantRoutesToCover() {
        assertThat(app.tenantRoutes()).as("routes under /api/v1/tenants").isNotEmpty()
                .anySatisfy(r -> assertThat(r.pattern()).isEqualTo("/api/v1/tenants/{tenant}/metrics"));
    }

    @TestFactory
    Stream<DynamicTest> everyTenantRouteRefusesEveryHostileToken() {
        List<DynamicTest> tests = new ArrayList<>();
        for (SecuredApp.Route route : app.tenantRoutes()) {
            for (Case c : cases()) {
                tests.add(DynamicTest.dynamicTest(route + ": " + c.name() + " -> " + c.status() + " " + c.reason(),
                        () -> assertRefused(route, c, false)));
                if (route.isStream()) {
                    tests.add(DynamicTest.dynamicTest(route + " (token as ?access_token=): " + c.name() + " -> " + c.status(),
                            () -> assertRefused(route, c, true)));
                }
            }
            if (!route.isStream()) {
                tests.add(DynamicTest.dynamicTest(route + ": a valid token as ?access_token= is refused off /stream",
                        () -> {
                            String token = issuer.sign(TestIssuer.tenantClaims(TENANT, NOW).build());
                            String id = UUID.randomUUID().toString();
                            HttpResponse<String> r = app.send(app.request(route.pathFor(TENANT) + "?access_token=" + token)
                                    .header(SecuredApp.PROBE_HEADER, id).method(route.method().name(), HttpRequest.BodyPublishers.noBody()));
                            assertThat(r.statusCode()).isEqualTo(401);
                            assertThat(json.readTree(r.body()).get("reason").asText()).isEqualTo("token_in_query");
                            assertThat(app.reachedHandler(id)).isFalse();
                        }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> theTenantsOwnTokenAndAnAdminTokenReachEveryTenantRoute() {
        List<DynamicTest> tests = new ArrayList<>();
        for (SecuredApp.Route route : app.tenantRoutes()) {
            tests.add(DynamicTest.dynamicTest(route + ": the tenant's own token",
                    () -> assertReachesHandler(route, TENANT, issuer.sign(TestIssuer.tenantClaims(TENANT, NOW).build()))));
            tests.add(DynamicTest.dynamicTest(route + ": an admin token, for either tenant", () -> {
                String admin = issuer.sign(TestIssuer.adminClaims(NOW).build());
                assertReachesHandler(route, TENANT, admin);
                assertReachesHandler(route, OTHER, admin);
            }));
        }
        return tests.stream();
    }

    @Test
    void pathSpellingsNeverReachAnotherTenantsData() throws Exception {
        String contoso = issuer.sign(TestIssuer.tenantClaims(TENANT, NOW).build());
        for (String path : List.of("/api/v1/tenants/fabrikam/metrics", "//api/v1/tenants/fabrikam/metrics",
                "/api//v1/tenants/fabrikam/metrics", "/api/v1/tenants//fabrikam/metrics", "/API/v1/tenants/fabrikam/metrics",
                "/api/v1/tenants/%66abrikam/metrics", "/api/v1/tenants/contoso/..%2F..%2Ffabrikam/metrics",
                "/api/v1/tenants/fabrikam;contoso/metrics", "/api/v1/tenants/fabrikam/metrics/")) {
            HttpResponse<String> r = app.get(path, contoso);
            assertThat(r.statusCode()).as("GET %s with contoso's token answered %s", path, r.body()).isIn(400, 403, 404);
        }
    }

    @Test
    void otherApiPathsAreForAdminsOnlyAndPublicPathsNeedNoToken() throws Exception {
        String contoso = issuer.sign(TestIssuer.tenantClaims(TENANT, NOW).build());
        String admin = issuer.sign(TestIssuer.adminClaims(NOW).build());

        assertThat(app.get("/api/v1/tenants/contoso/no-such-route", null).statusCode()).as("unknown tenant route, no token").isEqualTo(401);
        assertThat(app.get("/api/v1/anything-else", null).statusCode()).isEqualTo(401);
        assertThat(app.get("/api/v1/anything-else", contoso).statusCode()).isEqualTo(403);
        assertThat(app.get("/api/v1/anything-else", admin).statusCode()).isEqualTo(404);
        assertThat(app.get("/api/v1/tenants", contoso).statusCode()).isEqualTo(403);
        assertThat(app.get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(app.get("/api/v1/openapi.json", null).statusCode()).as("public: no 401").isNotIn(401, 403);
        assertThat(app.get("/dashboard/contoso", null).statusCode()).as("public: no 401").isNotIn(401, 403);
        assertThat(app.get("/webjars/chart.js/chart.umd.js", null).statusCode()).as("public: no 401").isNotIn(401, 403);
    }

    private static void assertRefused(SecuredApp.Route route, Case c, boolean tokenInQuery) throws Exception {
        String tenant = TENANT;
        String token = c.token().apply(tenant);
        String id = UUID.randomUUID().toString();
        String path = route.pathFor(tenant);
        HttpRequest.Builder request;
        if (tokenInQuery && token != null) {
            request = app.request(path + "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        } else {
            request = app.request(path);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        }
        HttpResponse<String> r = app.send(request.header(SecuredApp.PROBE_HEADER, id)
                .method(route.method().name(), HttpRequest.BodyPublishers.noBody()));

        assertThat(r.statusCode()).as("%s %s answered %s", route.method().name(), path, r.body()).isEqualTo(c.status());
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(c.status());
        assertThat(body.get("reason").asText()).isEqualTo(c.reason());
        assertThat(body.get("error").asText()).isNotBlank();
        if (token != null) {
            assertThat(r.body()).doesNotContain(token);
        }
        if (c.status() == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString()
                    .startsWith("Bearer error=\"invalid_token\", error_description=\"");
        }
        assertThat(app.reachedHandler(id)).as("reached the route's handler").isFalse();
    }

    private static void assertReachesHandler(SecuredApp.Route route, String tenant, String token) throws Exception {
        String id = UUID.randomUUID().toString();
        HttpRequest request = app.request(route.pathFor(tenant)).header("Authorization", "Bearer " + token)
                .header("Accept", route.isStream() ? "text/event-stream" : "application/json")
                .header(SecuredApp.PROBE_HEADER, id).method(route.method().name(), HttpRequest.BodyPublishers.noBody()).build();
        // Streams (SSE) never end: wait for the handler, not for the body.
        CompletableFuture<HttpResponse<InputStream>> response = app.client().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> app.reachedHandler(id) || response.isDone());
            assertThat(app.reachedHandler(id)).as("%s %s reached its handler", route.method().name(), route.pathFor(tenant)).isTrue();
            if (!route.isStream()) { // a stream stays open; it got past the guards, which is what counts here
                HttpResponse<InputStream> r = response.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.statusCode()).isNotIn(401, 403, 413, 429);
                r.body().close();
            }
        } finally {
            response.cancel(true);
        }
    }
}
