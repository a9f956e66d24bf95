package io.pulse.api.query;

import io.pulse.avro.ActiveCustomers;
import io.pulse.avro.CustomerProfile;
import io.pulse.avro.MetricsState;
import io.pulse.avro.RecentAlert;
import io.pulse.avro.RecentAlerts;
import io.pulse.avro.SpineCounters;
import io.pulse.avro.TopProductsState;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TenantKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads of Pulse's stores on this instance's copies (see {@link StateStores#read}), into plain rows; every
 * iterator is closed here. Windows are those whose start lies in {@code [from, to]}, oldest first.
 */
public final class StoreReads {
    /** Length of the active-customers windows: UTC days. */
    public static final Duration DAY = Duration.ofDays(1);

    private final StateStores stores;

    public StoreReads(StateStores stores) {
        this.stores = stores;
    }

    /** The tenant-wide windowed metrics of one size. */
    public List<WindowRow<MetricsState>> tenantMetrics(LocalRead read, String tenant, WindowSize size, Instant from, Instant to) {
        return windows(read, size.metricsStore(false), tenant, size.size(), from, to);
    }

    /**
     * The windowed metrics of one size per {@code tenant/store/channel}, of the stores and channels that match
     * (a null filter matches all), ordered by window start, store, channel.
     */
    public List<WindowRow<MetricsState>> storeChannelMetrics(LocalRead read, String tenant, WindowSize size, String store,
                                                             String channel, Instant from, Instant to) {
        String storeName = size.metricsStore(true);
        if (store != null && channel != null) {
            return windows(read, storeName, TenantKeys.of(tenant, store, channel), size.size(), from, to);
        }
        Predicate<String> matches = key -> {
            StoreChannel sc = StoreChannel.of(key);
            return key.startsWith(tenant + TenantKeys.SEPARATOR) && (store == null || store.equals(sc.store()))
                    && (channel == null || channel.equals(sc.channel()));
        };
        // All of the tenant's keys (tenant/...) sort between "tenant/" and "tenant0" ('0' follows '/').
        String first = tenant + TenantKeys.SEPARATOR;
        String last = tenant + (char) (TenantKeys.SEPARATOR + 1);
        List<WindowRow<MetricsState>> rows = stores.read(storeName, QueryableStoreTypes.<String, MetricsState>windowStore(), read, s -> {
            List<WindowRow<MetricsState>> out = new ArrayList<>();
            try (KeyValueIterator<Windowed<String>, MetricsState> it = s.fetch(first, last, from, to)) {
                while (it.hasNext()) {
                    KeyValue<Windowed<String>, MetricsState> kv = it.next();
                    if (matches.test(kv.key.key())) {
                        Instant start = kv.key.window().startTime();
                        out.add(new WindowRow<>(kv.key.key(), start, start.plus(size.size()), kv.value));
                    }
                }
            }
            return out;
        });
        rows.sort(Comparator.comparing((WindowRow<MetricsState> r) -> r.start()).thenComparing(WindowRow::key));
        return rows;
    }

    /** The tenant's top products per window of one size. */
    public List<WindowRow<TopProductsState>> topProducts(LocalRead read, String tenant, WindowSize size, Instant from, Instant to) {
        String store = size.topProductsStore().orElseThrow(() -> new IllegalArgumentException("no top products of " + size));
        return windows(read, store, tenant, size.size(), from, to);
    }

    /** The tenant's active customers of each UTC day starting in the range. */
    public List<WindowRow<ActiveCustomers>> activeCustomers(LocalRead read, String tenant, Instant from, Instant to) {
        return windows(read, StoreNames.ACTIVE_CUSTOMERS, tenant, DAY, from, to);
    }

    /** A known customer's engagement profile. */
    public Optional<CustomerProfile> profile(LocalRead read, String tenant, String customerId) {
        return Optional.ofNullable(stores.read(StoreNames.CUSTOMER_PROFILES, QueryableStoreTypes.<String, CustomerProfile>keyValueStore(),
                read, s -> s.get(TenantKeys.of(tenant, customerId))));
    }

    /** The tenant's latest alerts, newest first, at most {@code limit}. */
    public List<RecentAlert> recentAlerts(LocalRead read, String tenant, int limit) {
        RecentAlerts recent = stores.read(StoreNames.RECENT_ALERTS, QueryableStoreTypes.<String, RecentAlerts>keyValueStore(),
                read, s -> s.get(tenant));
        return recent == null ? List.of() : recent.getAlerts().subList(0, Math.min(limit, recent.getAlerts().size()));
    }

    /** The tenant's stream time: the newest event time that passed the lateness gate; empty before the first. */
    public Optional<Instant> newestEventTime(LocalRead read, String tenant) {
        SpineCounters counters = stores.read(StoreNames.SPINE_TENANT_COUNTERS,
                QueryableStoreTypes.<String, SpineCounters>keyValueStore(), read, (ReadOnlyKeyValueStore<String, SpineCounters> s) -> s.get(tenant));
        return counters == null ? Optional.empty() : Optional.ofNullable(counters.getNewestEventTime());
    }

    private <V> List<WindowRow<V>> windows(LocalRead read, String store, String key, Duration size, Instant from, Instant to) {
        return stores.read(store, QueryableStoreTypes.<String, V>windowStore(), read, (ReadOnlyWindowStore<String, V> s) -> {
            List<WindowRow<V>> out = new ArrayList<>();
            try (WindowStoreIterator<V> it = s.fetch(key, from, to)) {
                while (it.hasNext()) {
                    KeyValue<Long, V> kv = it.next();
                    Instant start = Instant.ofEpochMilli(kv.key);
                    out.add(new WindowRow<>(key, start, start.plus(size), kv.value));
                }
            }
            return out;
        });
    }

    /**
     * Store and channel of a {@code tenant/store/channel} key: the store may itself contain the separator, the
     * tenant and the channel do not.
     */
    public record StoreChannel(String store, String channel) {
        public static StoreChannel of(String key) {
            int first = key.indexOf(TenantKeys.SEPARATOR);
            int last = key.lastIndexOf(TenantKeys.SEPARATOR);
            if (first < 0 || last <= first) {
                return new StoreChannel(null, null);
            }
            return new StoreChannel(key.substring(first + 1, last), key.substring(last + 1));
        }
    }
}
