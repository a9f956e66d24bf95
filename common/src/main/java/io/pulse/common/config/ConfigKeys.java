package io.pulse.common.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every configuration key Pulse knows, with its meaning. An unknown {@code pulse.*} key is an error
 * (a typo must not silently fall back to a default).
 *
 * <p>Each key can also be given as an environment variable: upper case, dots and dashes become
 * underscores ({@code pulse.api.port} is {@code PULSE_API_PORT}).
 */
public final class ConfigKeys {
    public static final String PROFILE = "pulse.profile";
    public static final String DATA_DIR = "pulse.data-dir";

    public static final String KAFKA_BOOTSTRAP_SERVERS = "pulse.kafka.bootstrap-servers";
    public static final String KAFKA_AUTH = "pulse.kafka.auth";
    public static final String KAFKA_TRUSTSTORE_LOCATION = "pulse.kafka.ssl.truststore-location";
    public static final String KAFKA_TRUSTSTORE_PASSWORD = "pulse.kafka.ssl.truststore-password";
    /** Environment only: a secret never belongs in a file. */
    public static final String EVENTHUBS_CONNECTION_STRING_ENV = "PULSE_EVENTHUBS_CONNECTION_STRING";

    public static final String REGISTRY_URL = "pulse.schema-registry.url";

    public static final String BROKER_PORT = "pulse.embedded.broker-port";
    public static final String CONTROLLER_PORT = "pulse.embedded.controller-port";
    public static final String REGISTRY_PORT = "pulse.embedded.registry-port";

    public static final String STREAMS_APPLICATION_ID = "pulse.streams.application-id";
    public static final String STREAMS_GUARANTEE = "pulse.streams.processing-guarantee";
    public static final String STREAMS_COMMIT_INTERVAL = "pulse.streams.commit-interval";
    public static final String STREAMS_THREADS = "pulse.streams.threads";
    public static final String WINDOW_GRACE = "pulse.metrics.window-grace";
    public static final String HOURLY_WINDOW_GRACE = "pulse.metrics.hourly-window-grace";
    public static final String DEDUP_HORIZON = "pulse.metrics.dedup-horizon";
    public static final String SESSION_GAP = "pulse.metrics.session-inactivity-gap";
    public static final String TOP_PRODUCTS = "pulse.metrics.top-products";
    public static final String CHURN_AFTER = "pulse.metrics.churn-after";
    public static final String ALERT_BASELINE_WINDOWS = "pulse.alerts.baseline-windows";
    public static final String ALERT_THRESHOLD = "pulse.alerts.threshold";
    public static final String ROCKSDB_CACHE = "pulse.streams.rocksdb.cache-mb";
    public static final String ROCKSDB_WRITE_BUFFERS = "pulse.streams.rocksdb.write-buffer-mb";

    public static final String API_PORT = "pulse.api.port";
    public static final String API_ADVERTISED_ENDPOINT = "pulse.api.advertised-endpoint";
    public static final String API_AUTH_MODE = "pulse.api.auth.mode";
    public static final String API_AUTH_ISSUER = "pulse.api.auth.issuer";
    public static final String API_AUTH_AUDIENCE = "pulse.api.auth.audience";
    public static final String API_AUTH_JWKS_URL = "pulse.api.auth.jwks-url";
    public static final String API_AUTH_ALGORITHMS = "pulse.api.auth.algorithms";
    public static final String API_AUTH_CLOCK_SKEW = "pulse.api.auth.clock-skew";
    public static final String API_AUTH_TENANT_CLAIM = "pulse.api.auth.tenant-claim";
    public static final String API_AUTH_ADMIN_ROLE = "pulse.api.auth.admin-role";
    public static final String API_RATE_LIMIT = "pulse.api.rate-limit-per-minute";
    public static final String STREAMS_STANDBY_REPLICAS = "pulse.streams.standby-replicas";

    public static final String LAKE_DIR = "pulse.lake.dir";
    public static final String LAKE_FLUSH_INTERVAL = "pulse.lake.flush-interval";
    public static final String LAKE_MAX_RECORDS_PER_FILE = "pulse.lake.max-records-per-file";
    public static final String LAKE_PSEUDONYMISATION_KEY = "pulse.lake.pseudonymisation-key";
    public static final String LAKE_MAX_FILE_MB = "pulse.lake.max-file-mb";
    public static final String LAKE_ROTATE_INTERVAL = "pulse.lake.rotate-interval";
    public static final String LAKE_MAX_OPEN_FILES = "pulse.lake.max-open-files";
    public static final String LAKE_STORE = "pulse.lake.store";
    public static final String LAKE_ADLS_ENDPOINT = "pulse.lake.adls.endpoint";
    public static final String LAKE_ADLS_FILE_SYSTEM = "pulse.lake.adls.file-system";
    public static final String LAKE_ADLS_DIRECTORY = "pulse.lake.adls.directory";
    public static final String LAKE_ADLS_AUTH = "pulse.lake.adls.auth";
    public static final String LAKE_ADLS_REQUEST_TIMEOUT = "pulse.lake.adls.request-timeout";
    public static final String LAKE_ADLS_MAX_RETRIES = "pulse.lake.adls.max-retries";
    public static final String LAKE_ADLS_RETRY_BACKOFF = "pulse.lake.adls.retry-backoff";
    /** Environment only: a secret never belongs in a file. */
    public static final String LAKE_ADLS_CONNECTION_STRING_ENV = "PULSE_LAKE_ADLS_CONNECTION_STRING";
    /** Environment only: a secret never belongs in a file. */
    public static final String LAKE_ADLS_ACCOUNT_KEY_ENV = "PULSE_LAKE_ADLS_ACCOUNT_KEY";

    public static final String GENERATOR_RATE = "pulse.generator.events-per-second";
    public static final String GENERATOR_TENANTS = "pulse.generator.tenants";
    public static final String GENERATOR_SEED = "pulse.generator.seed";
    public static final String GENERATOR_DUPLICATE_RATE = "pulse.generator.duplicate-rate";
    public static final String GENERATOR_LATE_RATE = "pulse.generator.late-rate";
    public static final String GENERATOR_MALFORMED_RATE = "pulse.generator.malformed-rate";

    public static final String INGEST_OUTBOX_DIR = "pulse.ingest.outbox-dir";
    public static final String INGEST_OUTBOX_MAX_MB = "pulse.ingest.outbox-max-mb";
    public static final String INGEST_MAX_RETRIES = "pulse.ingest.max-retries";
    public static final String INGEST_RETRY_BACKOFF = "pulse.ingest.retry-backoff";
    public static final String INGEST_RETRY_MAX_BACKOFF = "pulse.ingest.retry-max-backoff";
    public static final String INGEST_CIRCUIT_FAILURE_RATE = "pulse.ingest.circuit-failure-rate";
    public static final String INGEST_CIRCUIT_OPEN_DURATION = "pulse.ingest.circuit-open-duration";
    public static final String INGEST_DELIVERY_TIMEOUT = "pulse.ingest.delivery-timeout";

    /**
     * Key spaces owned by the ingest connectors: each connector's typed configuration validates its own
     * keys (and names the bad ones), so PulseConfig passes them through instead of refusing them.
     */
    public static final java.util.List<String> CONNECTOR_PREFIXES = java.util.List.of(
            "pulse.ingest.http.", "pulse.ingest.admin.", "pulse.ingest.jdbc.", "pulse.ingest.blob.");

    /** Key to a one-line description, in the order `pulse config` prints them. */
    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(PROFILE, "local (embedded broker and registry) or eventhubs (Azure Event Hubs' Kafka endpoint)");
        d.put(DATA_DIR, "where the embedded broker, state stores and the local lake keep their data");
        d.put(KAFKA_BOOTSTRAP_SERVERS, "Kafka bootstrap servers; on eventhubs <namespace>.servicebus.windows.net:9093 (derived from the connection string when absent)");
        d.put(KAFKA_AUTH, "eventhubs only: connection-string (SASL PLAIN with " + EVENTHUBS_CONNECTION_STRING_ENV
                + ", the default) or entra-id (SASL OAUTHBEARER with the process's Azure identity: workload identity on AKS, no secret)");
        d.put(KAFKA_TRUSTSTORE_LOCATION, "PKCS12 trust store for the broker's TLS certificate (default: the JVM's CAs)");
        d.put(KAFKA_TRUSTSTORE_PASSWORD, "password of that trust store");
        d.put(REGISTRY_URL, "Confluent-compatible schema registry URL");
        d.put(BROKER_PORT, "embedded broker's client port");
        d.put(CONTROLLER_PORT, "embedded broker's KRaft controller port");
        d.put(REGISTRY_PORT, "embedded schema registry's HTTP port");
        d.put(STREAMS_APPLICATION_ID, "Kafka Streams application id (prefix of internal topics and the consumer group)");
        d.put(STREAMS_GUARANTEE, "exactly_once_v2 or at_least_once");
        d.put(STREAMS_COMMIT_INTERVAL, "how often Kafka Streams commits (eventhubs: at least 1s)");
        d.put(STREAMS_THREADS, "Kafka Streams stream threads in this instance");
        d.put(STREAMS_STANDBY_REPLICAS, "standby replicas of each state store on other instances (answer queries while the active one restores)");
        d.put(WINDOW_GRACE, "how far behind stream time an event may be and still count (1- and 5-minute windows); later events go to the late-events topic");
        d.put(HOURLY_WINDOW_GRACE, "how long 1-hour and daily windows stay open for their final value (at least the window grace)");
        d.put(DEDUP_HORIZON, "how long an event id is remembered to drop duplicates");
        d.put(SESSION_GAP, "inactivity after which a shopper's session ends");
        d.put(TOP_PRODUCTS, "how many products the top-products ranking keeps per tenant and window");
        d.put(CHURN_AFTER, "inactivity after which a customer's profile is marked at risk of churn");
        d.put(ALERT_BASELINE_WINDOWS, "how many past windows form the rolling baseline of alerts");
        d.put(ALERT_THRESHOLD, "how many standard deviations from the baseline raise an alert");
        d.put(ROCKSDB_CACHE, "MiB of the one block cache all RocksDB state stores share");
        d.put(ROCKSDB_WRITE_BUFFERS, "MiB of memtables all RocksDB state stores share (counted in the cache)");
        d.put(API_PORT, "HTTP port of the insights API and dashboard");
        d.put(API_ADVERTISED_ENDPOINT, "host:port other instances use to reach this one for interactive queries (Kafka Streams application.server; default localhost:<api port>)");
        d.put(API_AUTH_MODE, "how API callers are authenticated: dev (tokens this process issues and prints; local profile only) or oidc (bearer tokens of an OpenID Connect issuer such as Entra ID)");
        d.put(API_AUTH_ISSUER, "oidc: the exact 'iss' of accepted tokens, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0");
        d.put(API_AUTH_AUDIENCE, "oidc: the 'aud' accepted tokens must carry (the API's application id URI or client id)");
        d.put(API_AUTH_JWKS_URL, "oidc: the issuer's JWKS URL, e.g. https://login.microsoftonline.com/<tenant-id>/discovery/v2.0/keys");
        d.put(API_AUTH_ALGORITHMS, "comma-separated JWS algorithms accepted (allow-list; none and HMAC are never accepted)");
        d.put(API_AUTH_CLOCK_SKEW, "clock skew tolerated on exp and nbf");
        d.put(API_AUTH_TENANT_CLAIM, "token claim naming the retailer (tenant id) the caller may read");
        d.put(API_AUTH_ADMIN_ROLE, "app role (in the token's 'roles' claim) that may read every tenant");
        d.put(API_RATE_LIMIT, "API requests per minute per tenant; more get 429 with Retry-After");
        d.put(LAKE_DIR, "root directory of the local lake");
        d.put(LAKE_FLUSH_INTERVAL, "longest wall-clock time a lake batch stays open before it is committed (a quiet partition is still flushed)");
        d.put(LAKE_MAX_RECORDS_PER_FILE, "records after which a lake batch is committed");
        d.put(LAKE_MAX_FILE_MB, "MiB of Parquet data after which a lake batch is committed (also bounds the memory of one open file)");
        d.put(LAKE_ROTATE_INTERVAL, "record-time span (Kafka timestamps) after which a lake batch is committed, so a backlog still yields files of bounded time span");
        d.put(LAKE_MAX_OPEN_FILES, "lake directories (files) one Kafka partition's batch may have open; a record for one more commits the batch first");
        d.put(LAKE_STORE, "where the lake lives: local (the directory pulse.lake.dir) or adls (Azure Data Lake Storage Gen2)");
        d.put(LAKE_ADLS_ENDPOINT, "ADLS Gen2 account URL, https://<account>.dfs.core.windows.net (derived from the connection string when absent)");
        d.put(LAKE_ADLS_FILE_SYSTEM, "ADLS Gen2 file system (container) holding the lake; it must exist");
        d.put(LAKE_ADLS_DIRECTORY, "directory inside the file system under which the datasets live (empty: its root)");
        d.put(LAKE_ADLS_AUTH, "how the sink signs in to ADLS Gen2: default-credential (managed/workload identity, az login), account-key ("
                + LAKE_ADLS_ACCOUNT_KEY_ENV + ") or connection-string (" + LAKE_ADLS_CONNECTION_STRING_ENV + ")");
        d.put(LAKE_ADLS_REQUEST_TIMEOUT, "how long one ADLS Gen2 request may take before it is retried");
        d.put(LAKE_ADLS_MAX_RETRIES, "retries of an ADLS Gen2 request answered 408, 429, 500, 502, 503, 504 or timed out, with exponential backoff");
        d.put(LAKE_ADLS_RETRY_BACKOFF, "first wait between ADLS Gen2 retries, doubled after each (capped at 30s)");
        d.put(LAKE_PSEUDONYMISATION_KEY, "secret key of the HMAC that pseudonymises customer ids in the lake (set it through the environment)");
        d.put(GENERATOR_RATE, "synthetic events per second (0: generator off)");
        d.put(GENERATOR_TENANTS, "comma-separated tenants the generator produces for");
        d.put(GENERATOR_SEED, "seed of the generator (same seed, same events)");
        d.put(GENERATOR_DUPLICATE_RATE, "share of generated events that repeat an earlier event id (0 to 1)");
        d.put(GENERATOR_LATE_RATE, "share of generated events stamped far later than the window grace allows (0 to 1)");
        d.put(GENERATOR_MALFORMED_RATE, "share of generated events that break a validation rule (0 to 1)");
        d.put(INGEST_OUTBOX_DIR, "local outbox of the ingest delivery path: events wait here, fsync'd, while the broker is unreachable (default <data-dir>/outbox)");
        d.put(INGEST_OUTBOX_MAX_MB, "MiB of undelivered events the outbox may hold; beyond it ingest refuses events (HTTP 503), never dropping them");
        d.put(INGEST_MAX_RETRIES, "retries of an event that keeps failing transiently while the broker is reachable; then it goes to the dead-letter topic and an alert is raised");
        d.put(INGEST_RETRY_BACKOFF, "first wait between delivery retries, doubled after each (exponential backoff)");
        d.put(INGEST_RETRY_MAX_BACKOFF, "longest wait between delivery retries");
        d.put(INGEST_CIRCUIT_FAILURE_RATE, "percentage of sends failing for an unreachable broker that opens the delivery circuit (events then go to the outbox)");
        d.put(INGEST_CIRCUIT_OPEN_DURATION, "how long the delivery circuit stays open before it probes the broker again");
        d.put(INGEST_DELIVERY_TIMEOUT, "how long a send may wait for the broker's acknowledgement before its events go to the outbox");
        DESCRIPTIONS = java.util.Collections.unmodifiableMap(d);
    }

    private ConfigKeys() {
    }

    /** The environment variable that may carry {@code key}. */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
