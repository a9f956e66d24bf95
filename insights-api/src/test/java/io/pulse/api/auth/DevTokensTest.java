package io.pulse.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded default's development tokens, through the real wiring ({@link ApiSecurity#from}): signed at
 * start-up with an in-memory RSA key, one per tenant plus an admin token, and verified by the same
 * processor, allow-list and claims checks as OIDC tokens.
 */
@Timeout(60)
class DevTokensTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(NOW);
    private final PulseConfig.Api api = SecuredApp.api(Map.of()); // local profile: dev mode by default
    private SecuredApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private DevTokens startAndIssue(ApiSecurity security) {
        app = SecuredApp.start(security, clock);
        return security.devTokenIssuer().orElseThrow().issue(app.port());
    }

    @Test
    void theLocalProfileDefaultsToDevTokens() {
        assertThat(api.authMode()).isEqualTo(PulseConfig.ApiAuthMode.DEV);
    }

    @Test
    void eachTenantsTokenReadsOnlyThatTenantAndTheAdminTokenReadsAll() throws Exception {
        DevTokens tokens = startAndIssue(ApiSecurity.from(api, TENANTS, clock));

        assertThat(tokens.tenantTokens().keySet()).containsExactlyElementsOf(TENANTS);
        for (String tenant : TENANTS) {
            for (String other : TENANTS) {
                HttpResponse<String> r = app.get("/api/v1/tenants/" + other + "/metrics", tokens.forTenant(tenant));
                assertThat(r.statusCode()).as("%s's token reading %s: %s", tenant, other, r.body()).isEqualTo(tenant.equals(other) ? 200 : 403);
            }
            assertThat(app.get("/api/v1/tenants/" + tenant + "/metrics", tokens.adminToken()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tokensSayWhoIssuedThemForWhomAndForHowLong() throws Exception {
        ApiSecurity security = ApiSecurity.from(api, TENANTS, clock);
        DevTokens tokens = startAndIssue(security);
        SignedJWT jwt = SignedJWT.parse(tokens.forTenant("contoso"));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();

        assertThat(tokens.issuer()).isEqualTo("http://localhost:" + app.port() + "/dev");
        assertThat(claims.getIssuer()).isEqualTo(tokens.issuer());
        assertThat(claims.getAudience()).containsExactly("pulse-insights");
        assertThat(claims.getStringClaim("pulse_tenant")).isEqualTo("contoso");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(12))).isEqualTo(tokens.expiresAt());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(security.devTokenIssuer().orElseThrow().publicKeys().getKeys().get(0).getKeyID());
        assertThat(security.devTokenIssuer().orElseThrow().publicKeys().getKeys().get(0).isPrivate()).isFalse();
        assertThat(SignedJWT.parse(tokens.adminToken()).getJWTClaimsSet().getStringListClaim("roles")).containsExactly("Pulse.Admin");
        assertThat(tokens.dashboardUrl("fabrikam"))
                .isEqualTo("http://localhost:" + app.port() + "/dashboard/fabrikam#token=" + tokens.forTenant("fabrikam"));
        assertThat(tokens.toString()).doesNotContain(tokens.forTenant("contoso"));
    }

    @Test
    void devTokensExpireAfterTwelveHours() throws Exception {
        DevTokens tokens = startAndIssue(ApiSecurity.from(api, TENANTS, clock));

        clock.advance(Duration.ofHours(12).plus(api.clockSkew()).plusSeconds(1));
        HttpResponse<String> r = app.get("/api/v1/tenants/contoso/metrics", tokens.forTenant("contoso"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json.readTree(r.body()).get("reason").asText()).isEqualTo("expired");
    }

    @Test
    void trustsExactlyTheDevKeyUnderTheAllowListAndClaimsChecks() throws Exception {
        ApiSecurity security = ApiSecurity.from(api, TENANTS, clock);
        DevTokens tokens = startAndIssue(security);
        DevTokenIssuer issuer = security.devTokenIssuer().orElseThrow();
        JWTClaimsSet valid = SignedJWT.parse(tokens.forTenant("contoso")).getJWTClaimsSet();
        // Another process's dev tokens: a different key pair, same shape.
        DevTokens foreign = DevTokenIssuer.generate(api, TENANTS, clock).issue(app.port());
        String hs256 = hs256WithDevPublicKey(issuer, valid);

        assertRefused(TestIssuer.unsigned(valid), 401, "algorithm_not_allowed");
        assertRefused(hs256, 401, "algorithm_not_allowed");
        assertRefused(foreign.forTenant("contoso"), 401, "unknown_key_id");
        assertRefused(issuer.sign(DevTokenIssuer.issuerFor(app.port() + 1), NOW, "dev:contoso", Map.of("pulse_tenant", "contoso")),
                401, "wrong_issuer");
        assertRefused(tokens.forTenant("fabrikam"), 403, "wrong_tenant");
        assertThat(app.get("/api/v1/tenants/contoso/metrics", tokens.forTenant("contoso")).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesTokensUntilIssuedAndIssuesForOnePortOnly() throws Exception {
        ApiSecurity security = ApiSecurity.from(api, TENANTS, clock);
        app = SecuredApp.start(security, clock);
        DevTokenIssuer issuer = security.devTokenIssuer().orElseThrow();
        String early = issuer.sign(DevTokenIssuer.issuerFor(app.port()), NOW, "dev:contoso", Map.of("pulse_tenant", "contoso"));

        assertThat(app.get("/api/v1/tenants/contoso/metrics", early).statusCode()).isEqualTo(503);
        DevTokens tokens = issuer.issue(app.port());
        assertThat(issuer.issue(app.port())).isSameAs(tokens);
        assertThatThrownBy(() -> issuer.issue(app.port() + 1)).hasMessageContaining("port " + app.port());
        assertThat(app.get("/api/v1/tenants/contoso/metrics", early).statusCode()).isEqualTo(200);
    }

    @Test
    void isOnlyForDevModeAndNeedsAnRsaAlgorithm() {
        PulseConfig.Api oidc = SecuredApp.oidcApi("http://127.0.0.1:1/keys", 600);
        PulseConfig.Api ecOnly = SecuredApp.api(Map.of(ConfigKeys.API_AUTH_ALGORITHMS, "ES256"));

        assertThatThrownBy(() -> DevTokenIssuer.generate(oidc, TENANTS, clock)).hasMessageContaining("dev");
        assertThat(ApiSecurity.from(oidc, TENANTS, clock).devTokenIssuer()).isEmpty();
        assertThatThrownBy(() -> DevTokenIssuer.generate(ecOnly, TENANTS, clock)).hasMessageContaining(ConfigKeys.API_AUTH_ALGORITHMS);
    }

    private void assertRefused(String token, int status, String reason) throws Exception {
        HttpResponse<String> r = app.get("/api/v1/tenants/contoso/metrics", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json.readTree(r.body()).get("reason").asText()).isEqualTo(reason);
    }

    private static String hs256WithDevPublicKey(DevTokenIssuer issuer, JWTClaimsSet claims) throws Exception {
        var publicKey = issuer.publicKeys().getKeys().get(0).toRSAKey();
        SignedJWT jwt = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publicKey.getKeyID()).build(), claims);
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(publicKey.toRSAPublicKey().getEncoded()));
        return jwt.serialize();
    }
}
