package io.pulse.common.topics;

/**
 * Names of the topology's state stores, shared by the topology (which creates them) and the API
 * (which queries them). Renaming one orphans its changelog: give it a new name with a new version.
 */
public final class StoreNames {

    /**
     * Key-value store: tenant to SpineCounters (events rejected by validation, duplicates dropped, late
     * events sent away; the newest event time that passed the lateness gate, the tenant's stream time). Rejects whose tenant cannot be told from the key or envelope count under
     * {@code _unattributed}, which no valid tenant id can be.
     */
    public static final String SPINE_TENANT_COUNTERS = "spine-tenant-counters-v1";

    /** Session store: {@code tenant/customer/<id>} or {@code tenant/anonymous/<session id>} to its ShopperSession aggregates. */
    public static final String SHOPPER_SESSIONS = "shopper-sessions-v1";

    /** Key-value store: {@code tenant/customer} to CustomerProfile (recency, frequency, monetary, RFM segment, churn risk). */
    public static final String CUSTOMER_PROFILES = "customer-profiles-v1";

    /** Window stores of MetricsState, tenant-wide (key: tenant): 1-minute tumbling, 5-minute hopping by 1 minute, 1-hour tumbling. */
    public static final String WINDOWED_METRICS_TENANT_1M = "windowed-metrics-tenant-1m-v1";
    public static final String WINDOWED_METRICS_TENANT_5M = "windowed-metrics-tenant-5m-v1";
    public static final String WINDOWED_METRICS_TENANT_1H = "windowed-metrics-tenant-1h-v1";

    /** Window stores of MetricsState per {@code tenant/store/channel} (store {@code -}: events without a store), windows as above. */
    public static final String WINDOWED_METRICS_STORE_CHANNEL_1M = "windowed-metrics-store-channel-1m-v1";
    public static final String WINDOWED_METRICS_STORE_CHANNEL_5M = "windowed-metrics-store-channel-5m-v1";
    public static final String WINDOWED_METRICS_STORE_CHANNEL_1H = "windowed-metrics-store-channel-1h-v1";

    /** Window stores: tenant to TopProductsState (rankings by views and by units), 1-minute and 1-hour tumbling windows. */
    public static final String TOP_PRODUCTS_1M = "top-products-1m-v1";
    public static final String TOP_PRODUCTS_1H = "top-products-1h-v1";

    /** Window store: tenant to ActiveCustomers of each UTC day (1-day windows): DAU, WAU, MAU and stickiness. */
    public static final String ACTIVE_CUSTOMERS = "active-customers-v1";

    /** Window store: tenant to DailyCustomersState (HLL of the day's customers), 1-day windows kept 31 days for WAU/MAU. */
    public static final String ACTIVE_CUSTOMERS_DAILY = "active-customers-daily-v1";

    /** Key-value store: {@code tenant/store|*&#47;channel|*} to AlertBaselines (the last final 1-minute values of each alert series). */
    public static final String ALERT_BASELINES = "alert-baselines-v1";

    /** Window store: tenant to BasketSizeState (orders, units, largest basket), 1-hour tumbling windows. */
    public static final String BASKET_SIZES_1H = "basket-sizes-1h-v1";

    /** Key-value store: tenant to RecentAlerts (the tenant's latest alerts from {@code pulse.alerts.v1}, newest first, bounded). */
    public static final String RECENT_ALERTS = "recent-alerts-v1";

    private StoreNames() {
    }
}
