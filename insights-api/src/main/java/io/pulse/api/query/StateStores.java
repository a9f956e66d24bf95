package io.pulse.api.query;

import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that touches this instance's {@link KafkaStreams} for queries: where a tenant's partition of a
 * store lives ({@link #placement}), reads of the local copies ({@link #read}), how far behind they are
 * ({@link #lagRecords}) and readiness. Until {@link #attach} (the API starts before Kafka Streams, whose
 * {@code application.server} is the API's port), everything answers "not available yet".
 *
 * <p>Every key of a tenant, in every store, sits in the tenant's partition ({@link TenantKeys#partition}): the
 * events topic is keyed by tenant and every re-keyed stage repartitions by tenant. So the tenant alone routes a query.
 */
public final class StateStores {
    private static final Logger log = LoggerFactory.getLogger(StateStores.class);
    /** What a client is told to wait before asking again while nothing can answer. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** How long measured lags are reused: measuring asks the brokers for end offsets. */
    static final Duration LAG_TTL = Duration.ofSeconds(1);
    private static final StreamPartitioner<String, Object> BY_TENANT =
            (topic, key, value, partitions) -> Optional.of(Set.of(TenantKeys.partition(TenantKeys.tenantOf(key), partitions)));

    private final Clock clock;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private volatile Lags lags = new Lags(Map.of(), Instant.MIN);

    public StateStores(Clock clock) {
        this.clock = clock;
    }

    /**
     * Starts answering from {@code streams}.
     *
     * @param applicationServer this instance's {@code host:port}, exactly as given to Kafka Streams'
     *                          {@code application.server}: how other instances' metadata names it
     */
    public void attach(KafkaStreams streams, String applicationServer) {
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.streams = streams;
    }

    /** This instance as the metadata names it; null until attached. */
    public HostInfo self() {
        return self;
    }

    /** {@code host:port} of this instance, for {@code servedBy}. */
    public String selfName() {
        HostInfo h = self;
        return h == null ? "unattached" : h.host() + ":" + h.port();
    }

    /**
     * Where the tenant's partition of {@code store} lives now.
     *
     * @throws StoreUnavailableException while Kafka Streams is not running or rebalancing
     */
    public Placement placement(String store, String tenant) {
        KafkaStreams s = attached();
        KeyQueryMetadata m;
        try {
            m = s.queryMetadataForKey(store, tenant, BY_TENANT);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw unavailable(s, "its metadata is not available", e);
        }
        if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            // Partitions are being (re)assigned: the owner is unknown, but copies here may still answer. The tenant's
            // partition is the same in every topic a store is built from (they all have the events' partition count).
            int partition = TenantKeys.partition(tenant, TopicCatalogue.EVENTS.partitions());
            return new Placement(store, tenant, partition, Optional.empty(), Set.of());
        }
        boolean known = m.activeHost() != null && m.activeHost().port() >= 0;
        return new Placement(store, tenant, m.partition(), known ? Optional.of(m.activeHost()) : Optional.empty(), m.standbyHosts());
    }

    /**
     * Runs {@code query} on this instance's copy of one partition of a store: the active copy, or with
     * {@link LocalRead#stale()} any local copy (standby, or active while restoring). Iterators must be closed
     * inside {@code query}.
     *
     * @throws StoreUnavailableException when this instance holds no such copy now, or it cannot be read
     */
    public <S, R> R read(String store, QueryableStoreType<S> type, LocalRead read, Function<S, R> query) {
        KafkaStreams s = attached();
        StoreQueryParameters<S> parameters = StoreQueryParameters.fromNameAndType(store, type).withPartition(read.partition());
        if (read.stale()) {
            parameters = parameters.enableStaleStores();
        }
        try {
            return query.apply(s.store(parameters));
        } catch (UnknownStateStoreException e) {
            throw e; // a store name the topology does not have: a bug, not a state to wait out
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw unavailable(s, "partition " + read.partition() + " of " + store + " has no " + (read.stale() ? "" : "active ")
                    + "copy here that can be read", e);
        }
    }

    /**
     * How many changelog records this instance's copy of the partition is behind (0: active and running); empty
     * when this instance holds no copy of it. Measured at most once per {@link #LAG_TTL}.
     */
    public Optional<Long> lagRecords(String store, int partition) {
        KafkaStreams s = streams;
        if (s == null) {
            return Optional.empty();
        }
        Lags current = lags;
        Instant now = clock.instant();
        // Re-measure when the cached measurement is old, or predates this copy (tasks move on every rebalance).
        if (now.isAfter(current.measuredAt().plus(LAG_TTL)) || lagOf(current, store, partition) == null) {
            try {
                current = new Lags(s.allLocalStorePartitionLags(), now);
                lags = current;
            } catch (StreamsException | IllegalStateException e) {
                log.warn("Could not measure the lag of local store copies: {}", e.toString());
            }
        }
        LagInfo lag = lagOf(current, store, partition);
        return lag == null ? Optional.empty() : Optional.of(lag.offsetLag());
    }

    private static LagInfo lagOf(Lags lags, String store, int partition) {
        return lags.byStore().getOrDefault(store, Map.of()).get(partition);
    }

    /**
     * Ready for traffic: Kafka Streams is running; or rebalancing while it already holds tasks, since then it still
     * answers (from its copies and by forwarding), and a group-wide rebalance must not take every instance out at once.
     */
    public Readiness readiness() {
        KafkaStreams s = streams;
        if (s == null) {
            return new Readiness(false, "NOT_ATTACHED");
        }
        KafkaStreams.State state = s.state();
        boolean ready = state == KafkaStreams.State.RUNNING
                || state == KafkaStreams.State.REBALANCING && holdsTasks(s);
        return new Readiness(ready, state.name());
    }

    private static boolean holdsTasks(KafkaStreams s) {
        for (ThreadMetadata t : s.metadataForLocalThreads()) {
            if (!t.activeTasks().isEmpty() || !t.standbyTasks().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private KafkaStreams attached() {
        KafkaStreams s = streams;
        if (s == null) {
            throw new StoreUnavailableException("Pulse is starting; its state is not queryable yet", RETRY_AFTER, null);
        }
        return s;
    }

    private static StoreUnavailableException unavailable(KafkaStreams s, String what, RuntimeException cause) {
        return new StoreUnavailableException("Not queryable right now: " + what + " (Kafka Streams is " + s.state()
                + "); try again shortly", RETRY_AFTER, cause);
    }

    private record Lags(Map<String, Map<Integer, LagInfo>> byStore, Instant measuredAt) {
    }
}
