package io.pulse.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.api.auth.ApiSecurity;
import io.pulse.api.auth.JwksServer;
import io.pulse.api.auth.JwtVerifier;
import io.pulse.api.auth.SecuredApp;
import io.pulse.api.auth.TestIssuer;
import io.pulse.common.testing.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The API's per-tenant rate limit (3 per minute here) and its request size limit, over real HTTP. */
@Timeout(60)
class RateAndSizeLimitsTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(NOW);
    private final TestIssuer issuer = TestIssuer.withKeyId("key-1");
    private JwksServer jwks;
    private SecuredApp app;

    @BeforeEach
    void start() throws Exception {
        jwks = JwksServer.serving(issuer.publicJwk());
        var api = SecuredApp.oidcApi(jwks.url(), 3);
        app = SecuredApp.start(ApiSecurity.of(api, JwtVerifier.oidc(api, clock), clock), clock);
    }

    @AfterEach
    void stop() {
        app.close();
        jwks.close();
    }

    @Test
    void aTenantOverItsLimitGets429WithRetryAfterUntilItsBucketRefills() throws Exception {
        String contoso = token("contoso");
        String contosoAgain = token("contoso"); // another token of the same tenant shares its bucket
        String fabrikam = token("fabrikam");

        for (int i = 0; i < 3; i++) {
            assertThat(metrics("contoso", i == 2 ? contosoAgain : contoso).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = metrics("contoso", contosoAgain);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("20"); // one request every 60/3 s
        assertThat(json.readTree(limited.body()).get("reason").asText()).isEqualTo("rate_limited");
        assertThat(json.readTree(limited.body()).get("error").asText()).contains("contoso").contains("3 API requests per minute");
        assertThat(metrics("fabrikam", fabrikam).statusCode()).as("other tenants have their own buckets").isEqualTo(200);

        clock.advance(Duration.ofSeconds(19));
        assertThat(metrics("contoso", contoso).statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(metrics("contoso", contoso).statusCode()).isEqualTo(200);
    }

    @Test
    void adminsAreLimitedPerSubjectNotPerTenantRead() throws Exception {
        String admin = issuer.sign(TestIssuer.adminClaims(NOW).build());
        String otherAdmin = issuer.sign(TestIssuer.adminClaims(NOW).claim("oid", "oid-admin-2").build());

        assertThat(metrics("contoso", admin).statusCode()).isEqualTo(200);
        assertThat(metrics("fabrikam", admin).statusCode()).isEqualTo(200);
        assertThat(metrics("northwind", admin).statusCode()).isEqualTo(200);
        assertThat(metrics("contoso", admin).statusCode()).isEqualTo(429);
        assertThat(metrics("contoso", otherAdmin).statusCode()).isEqualTo(200);
        assertThat(metrics("contoso", token("contoso")).statusCode()).as("the tenant's own bucket is untouched").isEqualTo(200);
    }

    @Test
    void refusedTokensDoNotSpendTheTenantsBudget() throws Exception {
        String wrongAudience = issuer.sign(TestIssuer.tenantClaims("contoso", NOW).audience("api://other").build());
        for (int i = 0; i < 5; i++) {
            assertThat(metrics("contoso", wrongAudience).statusCode()).isEqualTo(401);
        }
        assertThat(metrics("contoso", token("contoso")).statusCode()).isEqualTo(200);
    }

    @Test
    void requestBodiesOverSixteenKibibytesOrOfUnknownLengthAre413() throws Exception {
        String contoso = token("contoso");
        HttpResponse<String> big = app.send(app.request("/api/v1/tenants/contoso/metrics").header("Authorization", "Bearer " + contoso)
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(16 * 1024 + 1))));
        HttpResponse<String> chunked = app.send(app.request("/api/v1/tenants/contoso/metrics").header("Authorization", "Bearer " + contoso)
                .method("GET", unknownLength("x".repeat(100))));
        HttpResponse<String> small = app.send(app.request("/api/v1/tenants/contoso/metrics").header("Authorization", "Bearer " + contoso)
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(1024))));
        HttpResponse<String> unauthenticatedBig = app.send(app.request("/api/v1/tenants/contoso/metrics")
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(64 * 1024))));

        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json.readTree(big.body()).get("reason").asText()).isEqualTo("request_too_large");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(unauthenticatedBig.statusCode()).isEqualTo(413);
    }

    @Test
    void theQueryRangeLimitStillHolds() throws Exception {
        HttpResponse<String> r = app.get("/api/v1/tenants/contoso/metrics?from=2026-11-01T00:00:00Z&to=2026-11-21T00:00:00Z", token("contoso"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).get("error").asText()).contains("at most 24 hours");
    }

    private String token(String tenant) {
        return issuer.sign(TestIssuer.tenantClaims(tenant, NOW).build());
    }

    private HttpResponse<String> metrics(String tenant, String token) throws Exception {
        return app.get("/api/v1/tenants/" + tenant + "/metrics", token);
    }

    /** A body the client must send chunked: its length is not declared. */
    private static HttpRequest.BodyPublisher unknownLength(String body) {
        HttpRequest.BodyPublisher known = HttpRequest.BodyPublishers.ofString(body);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                known.subscribe(subscriber);
            }
        };
    }
}
