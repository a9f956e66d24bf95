package io.pulse.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulse.common.testing.MutableClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** One audit line per API request on logger pulse.audit: who, what, outcome; never a token. */
@Timeout(60)
class AuditLogTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private final TestIssuer issuer = TestIssuer.withKeyId("key-1");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private Level previousLevel;
    private JwksServer jwks;
    private SecuredApp app;

    @BeforeEach
    void start() throws Exception {
        previousLevel = audit.getLevel();
        audit.setLevel(Level.INFO);
        lines.start();
        audit.addAppender(lines);
        jwks = JwksServer.serving(issuer.publicJwk());
        MutableClock clock = new MutableClock(NOW);
        var api = SecuredApp.oidcApi(jwks.url(), 1_000_000);
        app = SecuredApp.start(ApiSecurity.of(api, JwtVerifier.oidc(api, clock), clock), clock);
    }

    @AfterEach
    void stop() {
        app.close();
        jwks.close();
        audit.detachAppender(lines);
        audit.setLevel(previousLevel);
    }

    @Test
    void writesWhoReadWhatAndTheOutcomeOncePerRequest() throws Exception {
        String contoso = issuer.sign(TestIssuer.tenantClaims("contoso", NOW).jwtID("jti-contoso").build());
        String admin = issuer.sign(TestIssuer.adminClaims(NOW).build());
        String expired = issuer.sign(TestIssuer.tenantClaims("contoso", NOW.minus(Duration.ofHours(3)))
                .expirationTime(java.util.Date.from(NOW.minus(Duration.ofHours(2)))).build());

        app.get("/api/v1/tenants/contoso/metrics?from=2026-11-21T10:00:00Z", contoso);
        app.get("/api/v1/tenants/fabrikam/metrics", contoso);
        app.get("/api/v1/tenants/fabrikam/metrics", admin);
        app.get("/api/v1/tenants/contoso/metrics", expired);
        app.get("/api/v1/tenants/contoso/stream?access_token=" + URLEncoder.encode(contoso, StandardCharsets.UTF_8) + "&x=1", null);
        app.get("/health/live", null); // not the API: not audited

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.size() >= 5);
        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).hasSize(5);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("subject=oid-contoso", "scope=tenant:contoso", "client=dashboard-client",
                "jti=jti-contoso", "method=GET", "path=/api/v1/tenants/contoso/metrics", "query=from=2026-11-21T10:00:00Z", "status=200",
                "reason=-", "ms="));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("subject=oid-contoso", "path=/api/v1/tenants/fabrikam/metrics",
                "status=403", "reason=wrong_tenant"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("subject=oid-admin", "scope=admin",
                "path=/api/v1/tenants/fabrikam/metrics", "status=200"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("subject=-", "scope=-", "status=401", "reason=expired"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("path=/api/v1/tenants/contoso/stream", "query=access_token=***&x=1"));
        for (String token : List.of(contoso, admin, expired)) {
            assertThat(messages).noneSatisfy(m -> assertThat(m).contains(token));
            assertThat(messages).noneSatisfy(m -> assertThat(m).contains(token.substring(token.lastIndexOf('.') + 1)));
        }
        assertThat(messages).noneSatisfy(m -> assertThat(m).contains("/health"));
    }

    @Test
    void masksTokensInAnyQueryParameterSpelling() {
        assertThat(AuditLog.maskedQuery("ACCESS_TOKEN=abc.def.ghi&window=PT1M&token=x&id_token=y"))
                .isEqualTo("ACCESS_TOKEN=***&window=PT1M&token=***&id_token=***");
        assertThat(AuditLog.maskedQuery(null)).isEqualTo("-");
        assertThat(AuditLog.maskedQuery("a=b\nforged=line")).doesNotContain("\n");
    }
}
