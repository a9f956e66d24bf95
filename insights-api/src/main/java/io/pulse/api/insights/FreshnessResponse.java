package io.pulse.api.insights;

/** {@code GET /api/v1/tenants/{tenant}/freshness}: how far the tenant's events have come, on their own. */
public record FreshnessResponse(String tenant, Freshness freshness) {
}
