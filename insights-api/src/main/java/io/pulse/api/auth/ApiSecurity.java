package io.pulse.api.auth;

import io.javalin.config.JavalinConfig;
import io.pulse.api.limits.RequestSizeLimit;
import io.pulse.api.limits.TenantRateLimiter;
import io.pulse.common.config.PulseConfig;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The insights API's guards, registered on an app in this order: request size (413), bearer token and tenant
 * access ({@link AccessControl}: 401/403), per-tenant rate (429), and the audit log of every /api request.
 * They match paths themselves (everything under {@code /api} but the OpenAPI document), so a route added
 * later is covered without its author doing anything.
 */
public final class ApiSecurity {
    private final PulseConfig.Api api;
    private final TokenVerifier verifier;
    private final Clock clock;
    private final Optional<DevTokenIssuer> devTokens;

    private ApiSecurity(PulseConfig.Api api, TokenVerifier verifier, Clock clock, Optional<DevTokenIssuer> devTokens) {
        this.api = api;
        this.verifier = verifier;
        this.clock = clock;
        this.devTokens = devTokens;
    }

    /**
     * As configured: in dev mode a {@link DevTokenIssuer} for {@code devTenants} (call
     * {@code devTokenIssuer().get().issue(port)} once the server listens); in OIDC mode the issuer's JWKS.
     */
    public static ApiSecurity from(PulseConfig.Api api, List<String> devTenants, Clock clock) {
        if (api.authMode() == PulseConfig.ApiAuthMode.DEV) {
            DevTokenIssuer issuer = DevTokenIssuer.generate(api, devTenants, clock);
            return new ApiSecurity(api, issuer.verifier(), clock, Optional.of(issuer));
        }
        return new ApiSecurity(api, JwtVerifier.oidc(api, clock), clock, Optional.empty());
    }

    /** With a given verifier (e.g. an OIDC verifier with a custom JWKS policy); the rest from {@code api}. */
    public static ApiSecurity of(PulseConfig.Api api, TokenVerifier verifier, Clock clock) {
        return new ApiSecurity(api, verifier, clock, Optional.empty());
    }

    /** The dev-token issuer, in dev mode. */
    public Optional<DevTokenIssuer> devTokenIssuer() {
        return devTokens;
    }

    /** Registers the guards and their error answers on {@code config}; once per app, before the routes' own before-handlers. */
    public void register(JavalinConfig config) {
        ApiRejection.register(config);
        config.routes.before(new RequestSizeLimit(RequestSizeLimit.DEFAULT_MAX_BYTES));
        config.routes.before(new AccessControl(verifier));
        config.routes.before(new TenantRateLimiter(api.requestsPerMinute(), clock));
        config.requestLogger.http(new AuditLog());
    }
}
