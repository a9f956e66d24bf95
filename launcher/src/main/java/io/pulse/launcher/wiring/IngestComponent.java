package io.pulse.launcher.wiring;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.common.config.Profile;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.ingest.blob.BlobDropConfig;
import io.pulse.ingest.blob.BlobDropSource;
import io.pulse.ingest.delivery.DeliverySettings;
import io.pulse.ingest.delivery.KafkaEventDelivery;
import io.pulse.ingest.http.IngestHttp;
import io.pulse.ingest.http.IngestHttpSettings;
import io.pulse.ingest.http.KeyHash;
import io.pulse.ingest.jdbc.JdbcPollingSource;
import io.pulse.ingest.jdbc.JdbcSources;
import io.pulse.ingest.source.IngestSources;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ingest: the one delivery path of every source (outbox, retries, circuit, dead letters), HTTP ingest on the shared
 * server, and the JDBC pollers and Blob drops configured with {@code pulse.ingest.jdbc.*} / {@code pulse.ingest.blob.*}.
 * Ready while the delivery path is open: it takes events even while the broker is away (they wait in the outbox),
 * so a broker outage must not take every ingest instance out of its Service.
 */
final class IngestComponent implements PipelineComponent {
    private final PulseConfig config;
    private final Clock clock;
    private final ShutdownStack started = new ShutdownStack();
    private final KafkaEventDelivery delivery;
    private final IngestSources sources = new IngestSources();
    private final IngestHttpSettings httpSettings;
    private String demoSourceKey;
    private String demoAdminKey;
    private volatile boolean open;

    /** Opens the delivery path (and its outbox), so that routes and connectors have it. */
    IngestComponent(PulseConfig config, KafkaClientSettings clients, SerdeFactory serdes, MeterRegistry meters, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.httpSettings = httpSettings(config); // validates the connectors' keys before anything opens
        this.delivery = started.push(KafkaEventDelivery.create(clients, serdes, DeliverySettings.from(config), meters));
        this.open = true;
    }

    @Override
    public Component kind() {
        return Component.INGEST;
    }

    @Override
    public void configure(JavalinConfig cfg) {
        // HTTP sources are closed before the delivery path, which they feed.
        IngestHttp.configure(cfg, delivery, httpSettings, sources, clock).forEach(started::push);
    }

    @Override
    public void start(int boundPort) {
        Map<String, String> keys = config.connectorProperties();
        for (JdbcPollingSource jdbc : JdbcSources.create(keys, System.getenv(), config.dataDir(), delivery, delivery, clock)) {
            sources.register(jdbc);
            jdbc.start();
            started.push(jdbc);
        }
        if (BlobDropConfig.isConfigured(keys, System.getenv(), Map.of())) {
            BlobDropSource blob = BlobDropSource.create(BlobDropConfig.load(keys, System.getenv(), Map.of(), config.dataDir()),
                    delivery, delivery, clock);
            sources.register(blob);
            blob.start();
            started.push(blob);
        }
    }

    @Override
    public ComponentReadiness readiness() {
        return open ? new ComponentReadiness(true, "OPEN") : new ComponentReadiness(false, "CLOSED");
    }

    @Override
    public Optional<String> failure() {
        return Optional.empty(); // the delivery path degrades to its outbox instead of failing
    }

    /** The source key made for the local profile's HTTP ingest and send page, when one was made. */
    Optional<String> demoSourceKey() {
        return Optional.ofNullable(demoSourceKey);
    }

    /** The admin key made for /admin/v1/sources on the local profile, when one was made. */
    Optional<String> demoAdminKey() {
        return Optional.ofNullable(demoAdminKey);
    }

    @Override
    public void close() {
        open = false;
        started.close();
    }

    /**
     * HTTP ingest settings from pulse.ingest.http.* keys. With no source key configured, the local profile
     * makes one (printed at start-up, bound to the generator's tenants), and an admin key.
     */
    private IngestHttpSettings httpSettings(PulseConfig config) {
        Map<String, String> keys = config.connectorProperties();
        if (config.profile() != Profile.LOCAL || keys.containsKey(IngestHttpSettings.SOURCE_KEYS)) {
            return IngestHttpSettings.fromProperties(keys);
        }
        demoSourceKey = randomKey();
        demoAdminKey = randomKey();
        Map<String, String> withDemoKeys = new HashMap<>(keys);
        withDemoKeys.put(IngestHttpSettings.SOURCE_KEYS, "demo:" + String.join("+", config.generator().tenants()) + ":"
                + KeyHash.of(demoSourceKey).hex());
        withDemoKeys.putIfAbsent(IngestHttpSettings.ADMIN_KEY_SHA256, KeyHash.of(demoAdminKey).hex());
        return IngestHttpSettings.fromProperties(withDemoKeys);
    }

    private static String randomKey() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "ingest";
    }
}
