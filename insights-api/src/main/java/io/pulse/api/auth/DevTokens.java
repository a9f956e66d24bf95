package io.pulse.api.auth;

import java.time.Instant;
import java.util.Map;

/**
 * The development tokens of the embedded default, signed at start-up by {@link DevTokenIssuer}.
 *
 * @param issuer       their {@code iss}: {@code http://localhost:<port>/dev}
 * @param port         the API's port
 * @param tenantTokens one token per tenant, in the order of {@code pulse.generator.tenants}
 * @param adminToken   a token with the admin role: reads every tenant
 * @param expiresAt    when they all expire
 */
public record DevTokens(String issuer, int port, Map<String, String> tenantTokens, String adminToken, Instant expiresAt) {

    public DevTokens {
        tenantTokens = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tenantTokens));
    }

    /** The token of {@code tenant}. */
    public String forTenant(String tenant) {
        String token = tenantTokens.get(tenant);
        if (token == null) {
            throw new IllegalArgumentException("no dev token for tenant '" + tenant + "'; dev tokens exist for " + tenantTokens.keySet());
        }
        return token;
    }

    /** The dashboard of {@code tenant}, ready to open: the token rides in the fragment, which browsers never send. */
    public String dashboardUrl(String tenant) {
        return "http://localhost:" + port + "/dashboard/" + tenant + "#token=" + forTenant(tenant);
    }

    @Override
    public String toString() {
        return "DevTokens[issuer=" + issuer + ", tenants=" + tenantTokens.keySet() + ", admin, expiresAt=" + expiresAt + "]";
    }
}
