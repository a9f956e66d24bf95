package io.pulse.api.insights;

/** The paths of the insights routes, where more than one class needs them. */
public final class InsightsRoutes {
    public static final String METRICS = "/api/v1/tenants/{tenant}/metrics";
    public static final String TOP_PRODUCTS = "/api/v1/tenants/{tenant}/top-products";
    public static final String ACTIVE_CUSTOMERS = "/api/v1/tenants/{tenant}/active-customers";
    public static final String PROFILE = "/api/v1/tenants/{tenant}/customers/{customerId}/profile";
    public static final String ALERTS = "/api/v1/tenants/{tenant}/alerts";
    public static final String FRESHNESS = "/api/v1/tenants/{tenant}/freshness";

    private InsightsRoutes() {
    }

    /** The freshness route of one tenant (a valid tenant id needs no escaping). */
    static String freshnessPath(String tenant) {
        return FRESHNESS.replace("{tenant}", tenant);
    }
}
