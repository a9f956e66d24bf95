package io.pulse.api.query;

import io.pulse.common.topics.StoreNames;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The window sizes the API serves, and the stores that hold them. */
public enum WindowSize {
    PT1M(Duration.ofMinutes(1), StoreNames.WINDOWED_METRICS_TENANT_1M, StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1M, StoreNames.TOP_PRODUCTS_1M),
    PT5M(Duration.ofMinutes(5), StoreNames.WINDOWED_METRICS_TENANT_5M, StoreNames.WINDOWED_METRICS_STORE_CHANNEL_5M, null),
    PT1H(Duration.ofHours(1), StoreNames.WINDOWED_METRICS_TENANT_1H, StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1H, StoreNames.TOP_PRODUCTS_1H);

    private final Duration size;
    private final String tenantMetricsStore;
    private final String storeChannelMetricsStore;
    private final String topProductsStore;

    WindowSize(Duration size, String tenantMetricsStore, String storeChannelMetricsStore, String topProductsStore) {
        this.size = size;
        this.tenantMetricsStore = tenantMetricsStore;
        this.storeChannelMetricsStore = storeChannelMetricsStore;
        this.topProductsStore = topProductsStore;
    }

    /** {@code PT1M}, {@code PT5M} or {@code PT1H} (case ignored); empty for anything else. */
    public static Optional<WindowSize> parse(String s) {
        for (WindowSize w : values()) {
            if (w.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    public Duration size() {
        return size;
    }

    /** The windowed-metrics store: tenant-wide, or per {@code tenant/store/channel}. */
    public String metricsStore(boolean perStoreAndChannel) {
        return perStoreAndChannel ? storeChannelMetricsStore : tenantMetricsStore;
    }

    /** The top-products store of this size, if the topology keeps one. */
    public Optional<String> topProductsStore() {
        return Optional.ofNullable(topProductsStore);
    }
}
