package io.pulse.common.config;

import static io.pulse.common.config.ConfigKeys.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pulse's typed configuration, validated once at start-up and immutable afterwards.
 *
 * <p>Values come, strongest first, from explicit overrides (command-line options), environment
 * variables ({@link ConfigKeys#envName}), a properties file, and the profile's defaults. Every
 * problem found is reported at once, each naming its key and what was expected.
 */
public record PulseConfig(
        Profile profile,
        Path dataDir,
        Kafka kafka,
        String schemaRegistryUrl,
        Embedded embedded,
        Streams streams,
        int apiPort,
        Optional<String> advertisedEndpoint,
        Api api,
        Lake lake,
        Generator generator,
        Engagement engagement,
        Delivery delivery,
        Map<String, String> connectorProperties) {

    /** How to reach the Kafka cluster. */
    public record Kafka(String bootstrapServers,
                        Optional<EventHubsConnectionString> eventHubsConnectionString,
                        Optional<Path> truststoreLocation,
                        Optional<String> truststorePassword,
                        KafkaAuth auth) {
        /** A cluster signed in to with the connection string when there is one, without authentication otherwise. */
        public Kafka(String bootstrapServers, Optional<EventHubsConnectionString> eventHubsConnectionString,
                     Optional<Path> truststoreLocation, Optional<String> truststorePassword) {
            this(bootstrapServers, eventHubsConnectionString, truststoreLocation, truststorePassword,
                    eventHubsConnectionString.isPresent() ? KafkaAuth.CONNECTION_STRING : KafkaAuth.NONE);
        }

        /** Event Hubs' Kafka endpoint, however Pulse signs in to it. */
        public boolean eventHubs() {
            return auth != KafkaAuth.NONE;
        }

        /** The Event Hubs namespace host ({@code <ns>.servicebus.windows.net}): from the connection string, else the first bootstrap server. */
        public Optional<String> eventHubsNamespace() {
            if (!eventHubs()) {
                return Optional.empty();
            }
            return eventHubsConnectionString.map(EventHubsConnectionString::namespaceHost)
                    .or(() -> Optional.of(bootstrapServers.split(",")[0].trim().replaceFirst(":\\d+$", "")));
        }

        @Override
        public String toString() {
            return "Kafka[bootstrapServers=" + bootstrapServers
                    + ", eventHubs=" + eventHubsNamespace().map(ns -> ns + " (" + auth.id() + ")").orElse("no")
                    + ", truststore=" + truststoreLocation.map(Path::toString).orElse("JVM default") + "]";
        }
    }

    /** The embedded broker and registry of the local profile. */
    public record Embedded(int brokerPort, int controllerPort, int registryPort) {
    }

    public record Streams(String applicationId, ProcessingGuarantee guarantee, Duration commitInterval,
                          int threads, Duration windowGrace, Path stateDir, int standbyReplicas) {
    }

    /** How API callers sign in. */
    public enum ApiAuthMode {
        /** Tokens this process issues at start-up and prints (the embedded default); refused on profile eventhubs. */
        DEV("dev"),
        /** Bearer tokens of an OpenID Connect issuer (Entra ID). */
        OIDC("oidc");

        private final String id;

        ApiAuthMode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static ApiAuthMode parse(String s) {
            for (ApiAuthMode m : values()) {
                if (m.id.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("must be dev or oidc");
        }
    }

    /**
     * The insights API's access rules.
     *
     * @param oidc              present when {@code authMode} is OIDC
     * @param tenantClaim       the claim that names the caller's tenant
     * @param adminRole         the app role (claim {@code roles}) that may read every tenant
     * @param requestsPerMinute per tenant
     */
    public record Api(ApiAuthMode authMode, Optional<Oidc> oidc, List<String> algorithms, Duration clockSkew, String tenantClaim,
                      String adminRole, int requestsPerMinute) {
    }

    /** Where bearer tokens come from and whom they must be for. */
    public record Oidc(String issuer, String audience, String jwksUrl) {
    }

    /**
     * The lake sink: where the lake is and when a batch of files is committed.
     *
     * @param dir                the local lake's root (store {@code local}; also where {@code pulse lake query} looks)
     * @param flushInterval      wall-clock bound of an open batch
     * @param maxRecordsPerFile  records after which a batch is committed
     * @param maxFileBytes       Parquet bytes of one file after which its batch is committed
     * @param rotateInterval     record-time (Kafka timestamp) span after which a batch is committed
     * @param maxOpenFiles       files (lake directories) one partition's batch may have open at once
     * @param adls               present when the lake is on ADLS Gen2 ({@code pulse.lake.store=adls})
     */
    public record Lake(Path dir, Duration flushInterval, int maxRecordsPerFile, long maxFileBytes, Duration rotateInterval,
                       int maxOpenFiles, String pseudonymisationKey, Optional<Adls> adls) {
        /** The local defaults for everything but the directory and the key: for tests and tools. */
        public static Lake local(Path dir, Duration flushInterval, int maxRecordsPerFile, String pseudonymisationKey) {
            return new Lake(dir, flushInterval, maxRecordsPerFile, 128L << 20, Duration.ofHours(1), 24, pseudonymisationKey, Optional.empty());
        }

        @Override
        public String toString() {
            return "Lake[dir=" + dir + ", flushInterval=" + flushInterval + ", maxRecordsPerFile=" + maxRecordsPerFile
                    + ", maxFileBytes=" + maxFileBytes + ", rotateInterval=" + rotateInterval + ", maxOpenFiles=" + maxOpenFiles
                    + ", pseudonymisationKey=***, adls=" + adls.map(Adls::toString).orElse("no") + "]";
        }
    }

    /** How the sink signs in to ADLS Gen2. */
    public enum AdlsAuth {
        DEFAULT_CREDENTIAL("default-credential"), ACCOUNT_KEY("account-key"), CONNECTION_STRING("connection-string");

        private final String id;

        AdlsAuth(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static AdlsAuth parse(String s) {
            for (AdlsAuth a : values()) {
                if (a.id.equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("must be default-credential, account-key or connection-string");
        }
    }

    /**
     * The lake on ADLS Gen2.
     *
     * @param endpoint  the account's dfs URL (https://<account>.dfs.core.windows.net), or a test server's
     * @param secret    the account key or the connection string, per {@code auth}; empty for default-credential
     */
    public record Adls(String endpoint, String fileSystem, String directory, AdlsAuth auth, Optional<String> secret,
                       Duration requestTimeout, int maxRetries, Duration retryBackoff) {
        @Override
        public String toString() {
            return "Adls[endpoint=" + endpoint + ", fileSystem=" + fileSystem + ", directory=" + directory + ", auth=" + auth.id()
                    + ", secret=" + secret.map(s -> "***").orElse("(none)") + ", requestTimeout=" + requestTimeout
                    + ", maxRetries=" + maxRetries + ", retryBackoff=" + retryBackoff + "]";
        }
    }

    /** The synthetic generator, and the share of its events that are duplicates, late or malformed. */
    public record Generator(double eventsPerSecond, List<String> tenants, Optional<Long> seed,
                            double duplicateRate, double lateRate, double malformedRate) {
    }

    /**
     * What the topology's stages compute and how much memory their state may use.
     *
     * @param windowGrace       lateness allowed for every event-time window; later events go to the late-events topic
     * @param hourlyWindowGrace how long 1-hour and daily windows wait for their final value (at least windowGrace)
     */
    public record Engagement(Duration windowGrace, Duration hourlyWindowGrace, Duration dedupHorizon,
                             Duration sessionInactivityGap, int topProducts, Duration churnAfter,
                             int alertBaselineWindows, double alertThreshold,
                             long rocksDbCacheBytes, long rocksDbWriteBufferBytes) {
    }

    /**
     * The ingest delivery path: its local outbox, retries and circuit ({@code pulse.ingest.*}; see ConfigKeys).
     *
     * @param outboxMaxBytes     from {@code pulse.ingest.outbox-max-mb}
     * @param circuitFailureRate a percentage
     */
    public record Delivery(Path outboxDir, long outboxMaxBytes, int maxRetries, Duration retryBackoff, Duration maxRetryBackoff,
                           int circuitFailureRate, Duration circuitOpenDuration, Duration deliveryTimeout) {
    }

    /** Development-only pseudonymisation key of the local profile; the eventhubs profile refuses to start without a real one. */
    public static final String LOCAL_DEV_PSEUDONYMISATION_KEY = "pulse-local-development-key-not-for-production";

    /** Loads from environment variables only (plus the profile's defaults). */
    public static PulseConfig fromEnvironment() {
        return load(Map.of(), System.getenv(), Map.of());
    }

    /**
     * Resolves and validates.
     *
     * @param file      properties from a configuration file (may be empty); secrets here are refused
     * @param env       the process environment
     * @param overrides command-line values, strongest
     */
    public static PulseConfig load(Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
        return new Resolver(file, env, overrides).resolve();
    }

    /**
     * This instance's {@code host:port} for the others' interactive queries (Kafka Streams application.server, the
     * query router, the live feed): the configured {@link ConfigKeys#API_ADVERTISED_ENDPOINT}, else
     * {@code localhost:<boundPort>}, the port the API actually listens on (which differs from {@link #apiPort()} when that is 0).
     */
    public String advertisedEndpoint(int boundPort) {
        return advertisedEndpoint.orElse("localhost:" + boundPort);
    }

    /** The resolved key/value view, secrets masked: what {@code pulse config} prints. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PROFILE, profile.id());
        m.put(DATA_DIR, dataDir.toString());
        m.put(KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        m.put(KAFKA_AUTH, kafka.auth().id());
        m.put(EVENTHUBS_CONNECTION_STRING_ENV, kafka.eventHubsConnectionString().map(Object::toString).orElse("(not set)"));
        m.put(KAFKA_TRUSTSTORE_LOCATION, kafka.truststoreLocation().map(Path::toString).orElse("(JVM default CAs)"));
        m.put(KAFKA_TRUSTSTORE_PASSWORD, kafka.truststorePassword().map(p -> "***").orElse("(not set)"));
        m.put(REGISTRY_URL, schemaRegistryUrl);
        m.put(BROKER_PORT, Integer.toString(embedded.brokerPort()));
        m.put(CONTROLLER_PORT, Integer.toString(embedded.controllerPort()));
        m.put(REGISTRY_PORT, Integer.toString(embedded.registryPort()));
        m.put(STREAMS_APPLICATION_ID, streams.applicationId());
        m.put(STREAMS_GUARANTEE, streams.guarantee().streamsValue());
        m.put(STREAMS_COMMIT_INTERVAL, Durations.format(streams.commitInterval()));
        m.put(STREAMS_THREADS, Integer.toString(streams.threads()));
        m.put(STREAMS_STANDBY_REPLICAS, Integer.toString(streams.standbyReplicas()));
        m.put(WINDOW_GRACE, Durations.format(streams.windowGrace()));
        m.put(HOURLY_WINDOW_GRACE, Durations.format(engagement.hourlyWindowGrace()));
        m.put(DEDUP_HORIZON, Durations.format(engagement.dedupHorizon()));
        m.put(SESSION_GAP, Durations.format(engagement.sessionInactivityGap()));
        m.put(TOP_PRODUCTS, Integer.toString(engagement.topProducts()));
        m.put(CHURN_AFTER, Durations.format(engagement.churnAfter()));
        m.put(ALERT_BASELINE_WINDOWS, Integer.toString(engagement.alertBaselineWindows()));
        m.put(ALERT_THRESHOLD, Double.toString(engagement.alertThreshold()));
        m.put(ROCKSDB_CACHE, Long.toString(engagement.rocksDbCacheBytes() >> 20));
        m.put(ROCKSDB_WRITE_BUFFERS, Long.toString(engagement.rocksDbWriteBufferBytes() >> 20));
        m.put(API_PORT, Integer.toString(apiPort));
        m.put(API_ADVERTISED_ENDPOINT, advertisedEndpoint.orElse("localhost:" + (apiPort == 0 ? "<bound port>" : apiPort)));
        m.put(API_AUTH_MODE, api.authMode().id());
        m.put(API_AUTH_ISSUER, api.oidc().map(Oidc::issuer).orElse("(unused: dev tokens)"));
        m.put(API_AUTH_AUDIENCE, api.oidc().map(Oidc::audience).orElse("(unused: dev tokens)"));
        m.put(API_AUTH_JWKS_URL, api.oidc().map(Oidc::jwksUrl).orElse("(unused: dev tokens)"));
        m.put(API_AUTH_ALGORITHMS, String.join(",", api.algorithms()));
        m.put(API_AUTH_CLOCK_SKEW, Durations.format(api.clockSkew()));
        m.put(API_AUTH_TENANT_CLAIM, api.tenantClaim());
        m.put(API_AUTH_ADMIN_ROLE, api.adminRole());
        m.put(API_RATE_LIMIT, Integer.toString(api.requestsPerMinute()));
        m.put(LAKE_DIR, lake.dir().toString());
        m.put(LAKE_FLUSH_INTERVAL, Durations.format(lake.flushInterval()));
        m.put(LAKE_MAX_RECORDS_PER_FILE, Integer.toString(lake.maxRecordsPerFile()));
        m.put(LAKE_MAX_FILE_MB, Long.toString(lake.maxFileBytes() >> 20));
        m.put(LAKE_ROTATE_INTERVAL, Durations.format(lake.rotateInterval()));
        m.put(LAKE_MAX_OPEN_FILES, Integer.toString(lake.maxOpenFiles()));
        m.put(LAKE_STORE, lake.adls().isPresent() ? "adls" : "local");
        String unused = "(unused: " + LAKE_STORE + " is local)";
        m.put(LAKE_ADLS_ENDPOINT, lake.adls().map(Adls::endpoint).orElse(unused));
        m.put(LAKE_ADLS_FILE_SYSTEM, lake.adls().map(Adls::fileSystem).orElse(unused));
        m.put(LAKE_ADLS_DIRECTORY, lake.adls().map(a -> a.directory().isEmpty() ? "(file system root)" : a.directory()).orElse(unused));
        m.put(LAKE_ADLS_AUTH, lake.adls().map(a -> a.auth().id()).orElse(unused));
        m.put(LAKE_ADLS_REQUEST_TIMEOUT, lake.adls().map(a -> Durations.format(a.requestTimeout())).orElse(unused));
        m.put(LAKE_ADLS_MAX_RETRIES, lake.adls().map(a -> Integer.toString(a.maxRetries())).orElse(unused));
        m.put(LAKE_ADLS_RETRY_BACKOFF, lake.adls().map(a -> Durations.format(a.retryBackoff())).orElse(unused));
        m.put(LAKE_PSEUDONYMISATION_KEY, "***");
        m.put(GENERATOR_RATE, Double.toString(generator.eventsPerSecond()));
        m.put(GENERATOR_TENANTS, String.join(",", generator.tenants()));
        m.put(GENERATOR_SEED, generator.seed().map(String::valueOf).orElse("(random)"));
        m.put(GENERATOR_DUPLICATE_RATE, Double.toString(generator.duplicateRate()));
        m.put(GENERATOR_LATE_RATE, Double.toString(generator.lateRate()));
        m.put(GENERATOR_MALFORMED_RATE, Double.toString(generator.malformedRate()));
        m.put(INGEST_OUTBOX_DIR, delivery.outboxDir().toString());
        m.put(INGEST_OUTBOX_MAX_MB, Long.toString(delivery.outboxMaxBytes() >> 20));
        m.put(INGEST_MAX_RETRIES, Integer.toString(delivery.maxRetries()));
        m.put(INGEST_RETRY_BACKOFF, Durations.format(delivery.retryBackoff()));
        m.put(INGEST_RETRY_MAX_BACKOFF, Durations.format(delivery.maxRetryBackoff()));
        m.put(INGEST_CIRCUIT_FAILURE_RATE, Integer.toString(delivery.circuitFailureRate()));
        m.put(INGEST_CIRCUIT_OPEN_DURATION, Durations.format(delivery.circuitOpenDuration()));
        m.put(INGEST_DELIVERY_TIMEOUT, Durations.format(delivery.deliveryTimeout()));
        return Collections.unmodifiableMap(m);
    }

    /** Collects every problem before failing, so one start-up shows all of them. */
    private static final class Resolver {
        private final Map<String, String> file;
        private final Map<String, String> env;
        private final Map<String, String> overrides;
        private final List<String> problems = new ArrayList<>();

        Resolver(Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
            this.file = file;
            this.env = env;
            this.overrides = overrides;
        }

        PulseConfig resolve() {
            checkUnknownKeys(file, "configuration file");
            checkUnknownKeys(overrides, "command line");
            file.entrySet().stream().filter(Resolver::looksLikeConnectionString).findFirst().ifPresent(secret ->
                    problems.add("a connection string must not be written in a configuration file: set the environment variable "
                            + (isStorageSecret(secret) ? LAKE_ADLS_CONNECTION_STRING_ENV + " (or " + LAKE_ADLS_ACCOUNT_KEY_ENV + " for an account key)"
                                    : EVENTHUBS_CONNECTION_STRING_ENV) + " instead"));

            Profile profile = typed(PROFILE, "local", Profile::parse);
            if (profile == null) {
                profile = Profile.LOCAL;
            }
            boolean eh = profile == Profile.EVENTHUBS;
            Path dataDir = typed(DATA_DIR, ".pulse", s -> Path.of(s).toAbsolutePath().normalize());

            Optional<EventHubsConnectionString> cs = Optional.empty();
            String csValue = env.get(EVENTHUBS_CONNECTION_STRING_ENV);
            KafkaAuth auth = KafkaAuth.NONE;
            if (!eh && raw(KAFKA_AUTH) != null) {
                problems.add("'" + KAFKA_AUTH + "' applies to profile 'eventhubs' only (the local profile's embedded broker needs no sign-in)");
            } else if (eh) {
                auth = typed(KAFKA_AUTH, KafkaAuth.CONNECTION_STRING.id(), KafkaAuth::parseForEventHubs);
            }
            if (auth == KafkaAuth.ENTRA_ID) {
                if (csValue != null && !csValue.isBlank()) {
                    problems.add("'" + KAFKA_AUTH + "' is entra-id, but the environment variable " + EVENTHUBS_CONNECTION_STRING_ENV
                            + " is set too: unset it (Entra ID needs no secret), or set '" + KAFKA_AUTH + "' to connection-string");
                }
            } else if (eh) {
                if (csValue == null || csValue.isBlank()) {
                    problems.add("profile 'eventhubs' needs the environment variable " + EVENTHUBS_CONNECTION_STRING_ENV
                            + " (the namespace's connection string, Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...)");
                } else {
                    try {
                        cs = Optional.of(EventHubsConnectionString.parse(csValue));
                    } catch (IllegalArgumentException e) {
                        problems.add("'" + EVENTHUBS_CONNECTION_STRING_ENV + "' " + e.getMessage());
                    }
                }
            }
            String defaultBootstrap = eh ? cs.map(EventHubsConnectionString::kafkaBootstrapServers).orElse(null) : "localhost:9092";
            String bootstrap = typed(KAFKA_BOOTSTRAP_SERVERS, defaultBootstrap, Resolver::hostPorts);
            if (eh && bootstrap == null && (cs.isPresent() || auth == KafkaAuth.ENTRA_ID)) {
                problems.add("'" + KAFKA_BOOTSTRAP_SERVERS + "' is required for profile 'eventhubs'"
                        + (auth == KafkaAuth.ENTRA_ID ? " with entra-id (<namespace>.servicebus.windows.net:9093)" : ""));
            }
            if (auth == KafkaAuth.ENTRA_ID && bootstrap != null && !bootstrap.split(",")[0].trim().matches("[A-Za-z0-9.-]+:\\d+")) {
                problems.add("'" + KAFKA_BOOTSTRAP_SERVERS + "' must start with the namespace's host:port with entra-id"
                        + " (tokens are requested for https://<host>/.default), got '" + bootstrap + "'");
            }
            if (eh && bootstrap != null && !bootstrap.endsWith(":9093") && (cs.isPresent() || auth == KafkaAuth.ENTRA_ID)
                    && bootstrap.contains(".servicebus.windows.net")) {
                problems.add("'" + KAFKA_BOOTSTRAP_SERVERS + "' must use port 9093 for Event Hubs' Kafka endpoint, got '" + bootstrap + "'");
            }
            Optional<Path> truststore = Optional.ofNullable(typed(KAFKA_TRUSTSTORE_LOCATION, null, s -> {
                Path p = Path.of(s);
                if (!java.nio.file.Files.isReadable(p)) {
                    throw new IllegalArgumentException("must be a readable PKCS12 file");
                }
                return p;
            }));
            Optional<String> truststorePassword = Optional.ofNullable(raw(KAFKA_TRUSTSTORE_PASSWORD));

            // Numbers are boxed: one that does not parse is null, reported with the other problems, never unboxed.
            Integer brokerPort = typed(BROKER_PORT, "9092", Resolver::port);
            Integer controllerPort = typed(CONTROLLER_PORT, "9093", Resolver::port);
            Integer registryPort = typed(REGISTRY_PORT, "8081", Resolver::port);
            String registryUrl = typed(REGISTRY_URL, "http://localhost:" + (registryPort == null ? 8081 : registryPort), Resolver::httpUrl);

            String appId = typed(STREAMS_APPLICATION_ID, "pulse-insights", Resolver::identifier);
            ProcessingGuarantee guarantee = typed(STREAMS_GUARANTEE, eh ? "at_least_once" : "exactly_once_v2",
                    ProcessingGuarantee::parse);
            Duration commit = typed(STREAMS_COMMIT_INTERVAL, eh ? "1s" : "200ms", Durations::positive);
            if (eh && commit != null && commit.toMillis() < 1000) {
                problems.add("'" + STREAMS_COMMIT_INTERVAL + "' must be at least 1s on Event Hubs (offset commits are throttled per partition), got '"
                        + raw(STREAMS_COMMIT_INTERVAL) + "'");
            }
            if (eh && guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2) {
                problems.add("'" + STREAMS_GUARANTEE + "' cannot be exactly_once_v2 on profile 'eventhubs': Event Hubs' transactions are in preview at best;"
                        + " Pulse runs at_least_once there and de-duplicates by event id");
            }
            Integer threads = typed(STREAMS_THREADS, "1", s -> positiveInt(s, 64));
            Duration grace = typed(WINDOW_GRACE, "30s", Durations::nonNegative);

            Integer apiPort = typed(API_PORT, "7070", Resolver::port);
            Optional<String> advertisedEndpoint = Optional.ofNullable(typed(API_ADVERTISED_ENDPOINT, null, Resolver::hostPort));
            Api api = api(eh);
            Integer standbys = typed(STREAMS_STANDBY_REPLICAS, "1", s -> {
                int n = Integer.parseInt(s);
                if (n < 0 || n > 8) {
                    throw new IllegalArgumentException("must be a whole number from 0 to 8");
                }
                return n;
            });

            Path lakeDir = typed(LAKE_DIR, dataDir == null ? ".pulse/lake" : dataDir.resolve("lake").toString(),
                    s -> Path.of(s).toAbsolutePath().normalize());
            Duration flush = typed(LAKE_FLUSH_INTERVAL, "10s", Durations::positive);
            Integer maxRecords = typed(LAKE_MAX_RECORDS_PER_FILE, "100000", s -> positiveInt(s, 50_000_000));
            Integer maxFileMb = typed(LAKE_MAX_FILE_MB, "128", s -> positiveInt(s, 4096));
            Duration rotateInterval = typed(LAKE_ROTATE_INTERVAL, "1h", Durations::positive);
            Integer maxOpenFiles = typed(LAKE_MAX_OPEN_FILES, "24", s -> positiveInt(s, 1000));
            Optional<Adls> adls = adls();
            String pseudoKey = raw(LAKE_PSEUDONYMISATION_KEY);
            if (pseudoKey != null && file.containsKey(LAKE_PSEUDONYMISATION_KEY)) {
                problems.add("'" + LAKE_PSEUDONYMISATION_KEY + "' is a secret and must not be written in a configuration file: set "
                        + envName(LAKE_PSEUDONYMISATION_KEY) + " instead");
            }
            if (pseudoKey == null) {
                if (eh) {
                    problems.add("'" + LAKE_PSEUDONYMISATION_KEY + "' is required for profile 'eventhubs' (set "
                            + envName(LAKE_PSEUDONYMISATION_KEY) + "); the development key is refused in production");
                }
                pseudoKey = LOCAL_DEV_PSEUDONYMISATION_KEY;
            } else if (pseudoKey.length() < 16) {
                problems.add("'" + LAKE_PSEUDONYMISATION_KEY + "' must be at least 16 characters long");
            } else if (eh && pseudoKey.equals(LOCAL_DEV_PSEUDONYMISATION_KEY)) {
                problems.add("'" + LAKE_PSEUDONYMISATION_KEY + "' is the local development key, which profile 'eventhubs' refuses");
            }

            Double rate = typed(GENERATOR_RATE, eh ? "0" : "40", s -> {
                double d = Double.parseDouble(s);
                if (d < 0 || Double.isNaN(d) || d > 1_000_000) {
                    throw new IllegalArgumentException("must be a number from 0 to 1000000");
                }
                return d;
            });
            List<String> tenants = typed(GENERATOR_TENANTS, "contoso,fabrikam,northwind", Resolver::tenantList);
            Optional<Long> seed = Optional.ofNullable(typed(GENERATOR_SEED, null, Long::parseLong));

            Double duplicateRate = typed(GENERATOR_DUPLICATE_RATE, "0.01", Resolver::rate);
            Double lateRate = typed(GENERATOR_LATE_RATE, "0.005", Resolver::rate);
            Double malformedRate = typed(GENERATOR_MALFORMED_RATE, "0.005", Resolver::rate);
            if (duplicateRate != null && lateRate != null && malformedRate != null && duplicateRate + lateRate + malformedRate > 1) {
                problems.add("'" + GENERATOR_DUPLICATE_RATE + "', '" + GENERATOR_LATE_RATE + "' and '" + GENERATOR_MALFORMED_RATE
                        + "' add up to more than 1");
            }
            Duration hourlyGrace = typed(HOURLY_WINDOW_GRACE, "2m", Durations::nonNegative);
            if (grace != null && hourlyGrace != null && hourlyGrace.compareTo(grace) < 0) {
                problems.add("'" + HOURLY_WINDOW_GRACE + "' must be at least '" + WINDOW_GRACE + "' (" + Durations.format(grace)
                        + "), got '" + Durations.format(hourlyGrace) + "'");
            }
            Duration dedup = typed(DEDUP_HORIZON, "24h", Durations::positive);
            Duration sessionGap = typed(SESSION_GAP, "30m", Durations::positive);
            Integer topProducts = typed(TOP_PRODUCTS, "10", s -> positiveInt(s, 1000));
            Duration churnAfter = typed(CHURN_AFTER, "30d", Durations::positive);
            Integer baselineWindows = typed(ALERT_BASELINE_WINDOWS, "30", s -> positiveInt(s, 10_000));
            Double threshold = typed(ALERT_THRESHOLD, "3.0", s -> {
                double d = Double.parseDouble(s);
                if (!(d > 0) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("must be a positive number of standard deviations such as 3.0");
                }
                return d;
            });
            Integer cacheMb = typed(ROCKSDB_CACHE, "64", s -> positiveInt(s, 1 << 20));
            Integer writeBufferMb = typed(ROCKSDB_WRITE_BUFFERS, "16", s -> positiveInt(s, 1 << 20));
            if (cacheMb != null && writeBufferMb != null && writeBufferMb >= cacheMb) {
                problems.add("'" + ROCKSDB_WRITE_BUFFERS + "' (" + writeBufferMb + ") must be smaller than '" + ROCKSDB_CACHE
                        + "' (" + cacheMb + "): the write buffers are counted in the shared cache");
            }

            Path outboxDir = typed(INGEST_OUTBOX_DIR, dataDir == null ? ".pulse/outbox" : dataDir.resolve("outbox").toString(),
                    s -> Path.of(s).toAbsolutePath().normalize());
            Integer outboxMaxMb = typed(INGEST_OUTBOX_MAX_MB, "1024", s -> positiveInt(s, 1 << 20));
            Integer maxRetries = typed(INGEST_MAX_RETRIES, "10", s -> {
                int n = Integer.parseInt(s);
                if (n < 0 || n > 1000) {
                    throw new IllegalArgumentException("must be a whole number from 0 to 1000");
                }
                return n;
            });
            Duration retryBackoff = typed(INGEST_RETRY_BACKOFF, "500ms", Durations::positive);
            Duration retryMaxBackoff = typed(INGEST_RETRY_MAX_BACKOFF, "1m", Durations::positive);
            if (retryBackoff != null && retryMaxBackoff != null && retryMaxBackoff.compareTo(retryBackoff) < 0) {
                problems.add("'" + INGEST_RETRY_MAX_BACKOFF + "' must be at least '" + INGEST_RETRY_BACKOFF + "' ("
                        + Durations.format(retryBackoff) + "), got '" + Durations.format(retryMaxBackoff) + "'");
            }
            Integer circuitFailureRate = typed(INGEST_CIRCUIT_FAILURE_RATE, "50", s -> positiveInt(s, 100));
            Duration circuitOpen = typed(INGEST_CIRCUIT_OPEN_DURATION, "10s", Durations::positive);
            Duration deliveryTimeout = typed(INGEST_DELIVERY_TIMEOUT, "30s", s -> {
                Duration t = Durations.positive(s);
                if (t.toMillis() < 100 || t.toMillis() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("must be a duration from 100ms to 24d, such as 30s");
                }
                return t;
            });

            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new PulseConfig(profile, dataDir,
                    new Kafka(bootstrap, cs, truststore, truststorePassword, auth == null ? KafkaAuth.CONNECTION_STRING : auth),
                    registryUrl,
                    new Embedded(brokerPort, controllerPort, registryPort),
                    new Streams(appId, guarantee, commit, threads, grace, dataDir.resolve("streams"), standbys),
                    apiPort,
                    advertisedEndpoint,
                    api,
                    new Lake(lakeDir, flush, maxRecords, (long) maxFileMb << 20, rotateInterval, maxOpenFiles, pseudoKey, adls),
                    new Generator(rate, tenants, seed, duplicateRate, lateRate, malformedRate),
                    new Engagement(grace, hourlyGrace, dedup, sessionGap, topProducts, churnAfter, baselineWindows, threshold,
                            (long) cacheMb << 20, (long) writeBufferMb << 20),
                    new Delivery(outboxDir, (long) outboxMaxMb << 20, maxRetries, retryBackoff, retryMaxBackoff,
                            circuitFailureRate, circuitOpen, deliveryTimeout),
                    connectorProperties());
        }

        /** The API's access rules: dev tokens locally, an OIDC issuer in production (the eventhubs profile refuses dev tokens). */
        private Api api(boolean eventHubs) {
            ApiAuthMode mode = typed(API_AUTH_MODE, eventHubs ? "oidc" : "dev", ApiAuthMode::parse);
            if (eventHubs && mode == ApiAuthMode.DEV) {
                problems.add("'" + API_AUTH_MODE + "' cannot be dev on profile 'eventhubs': development tokens are for the embedded default only;"
                        + " configure an OIDC issuer (" + API_AUTH_ISSUER + ", " + API_AUTH_AUDIENCE + ", " + API_AUTH_JWKS_URL + ")");
            }
            Optional<Oidc> oidc = Optional.empty();
            if (mode == ApiAuthMode.OIDC) {
                String issuer = typed(API_AUTH_ISSUER, null, Resolver::httpUrlExact);
                String audience = raw(API_AUTH_AUDIENCE);
                String jwks = typed(API_AUTH_JWKS_URL, null, Resolver::httpUrl);
                for (String[] required : new String[][] {{API_AUTH_ISSUER, issuer}, {API_AUTH_AUDIENCE, audience}, {API_AUTH_JWKS_URL, jwks}}) {
                    if (required[1] == null && raw(required[0]) == null) {
                        problems.add("'" + required[0] + "' is required when '" + API_AUTH_MODE + "' is oidc");
                    }
                }
                if (issuer != null && audience != null && jwks != null) {
                    oidc = Optional.of(new Oidc(issuer, audience, jwks));
                }
            }
            List<String> algorithms = typed(API_AUTH_ALGORITHMS, "RS256,ES256", s -> {
                List<String> algs = Arrays.stream(s.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
                for (String a : algs) {
                    if (!a.matches("(RS|PS|ES)(256|384|512)")) {
                        throw new IllegalArgumentException("must list asymmetric JWS algorithms (RS256, PS256, ES256, ...); '" + a
                                + "' is not accepted (none and HMAC algorithms never are)");
                    }
                }
                if (algs.isEmpty()) {
                    throw new IllegalArgumentException("must list at least one algorithm");
                }
                return algs;
            });
            Duration skew = typed(API_AUTH_CLOCK_SKEW, "60s", s -> {
                Duration d = Durations.nonNegative(s);
                if (d.compareTo(Duration.ofMinutes(5)) > 0) {
                    throw new IllegalArgumentException("must be at most 5m");
                }
                return d;
            });
            String tenantClaim = typed(API_AUTH_TENANT_CLAIM, "pulse_tenant", Resolver::identifier);
            String adminRole = typed(API_AUTH_ADMIN_ROLE, "Pulse.Admin", Resolver::identifier);
            Integer perMinute = typed(API_RATE_LIMIT, "600", s -> positiveInt(s, 1_000_000));
            if (mode == null || algorithms == null || skew == null || tenantClaim == null || adminRole == null || perMinute == null) {
                return null; // the problems are reported
            }
            return new Api(mode, oidc, algorithms, skew, tenantClaim, adminRole, perMinute);
        }

        /** The ADLS Gen2 settings when {@code pulse.lake.store=adls}; secrets come from the environment only. */
        private Optional<Adls> adls() {
            String store = typed(LAKE_STORE, "local", s -> {
                if (!s.equals("local") && !s.equals("adls")) {
                    throw new IllegalArgumentException("must be local or adls");
                }
                return s;
            });
            if (store == null) {
                return Optional.empty(); // reported
            }
            if (!"adls".equals(store)) {
                for (String key : List.of(LAKE_ADLS_ENDPOINT, LAKE_ADLS_FILE_SYSTEM, LAKE_ADLS_DIRECTORY, LAKE_ADLS_AUTH,
                        LAKE_ADLS_REQUEST_TIMEOUT, LAKE_ADLS_MAX_RETRIES, LAKE_ADLS_RETRY_BACKOFF)) {
                    if (raw(key) != null) {
                        problems.add("'" + key + "' is set but '" + LAKE_STORE + "' is " + store + ": set " + LAKE_STORE + "=adls to use ADLS Gen2");
                    }
                }
                return Optional.empty();
            }
            AdlsAuth auth = typed(LAKE_ADLS_AUTH, "default-credential", AdlsAuth::parse);
            Optional<String> secret = Optional.empty();
            String derivedEndpoint = null;
            if (auth == AdlsAuth.CONNECTION_STRING) {
                String cs = env.get(LAKE_ADLS_CONNECTION_STRING_ENV);
                if (cs == null || cs.isBlank()) {
                    problems.add("'" + LAKE_ADLS_AUTH + "' connection-string needs the environment variable " + LAKE_ADLS_CONNECTION_STRING_ENV);
                } else {
                    secret = Optional.of(cs.trim());
                    derivedEndpoint = dfsEndpointOf(cs.trim());
                }
            } else if (auth == AdlsAuth.ACCOUNT_KEY) {
                String key = env.get(LAKE_ADLS_ACCOUNT_KEY_ENV);
                if (key == null || key.isBlank()) {
                    problems.add("'" + LAKE_ADLS_AUTH + "' account-key needs the environment variable " + LAKE_ADLS_ACCOUNT_KEY_ENV);
                } else {
                    secret = Optional.of(key.trim());
                }
            }
            String endpoint = typed(LAKE_ADLS_ENDPOINT, derivedEndpoint, s -> {
                String url = Resolver.httpUrl(s);
                return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            });
            if (endpoint == null && raw(LAKE_ADLS_ENDPOINT) == null) {
                problems.add("'" + LAKE_ADLS_ENDPOINT + "' is required for " + LAKE_STORE + "=adls (https://<account>.dfs.core.windows.net)");
            }
            String fileSystem = typed(LAKE_ADLS_FILE_SYSTEM, "pulse", s -> {
                if (!s.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
                    throw new IllegalArgumentException("must be an ADLS file system name: 3 to 63 lower-case letters, digits and single dashes");
                }
                return s;
            });
            String directory = typed(LAKE_ADLS_DIRECTORY, "", s -> {
                String d = s.replaceAll("^/+|/+$", "");
                if (d.contains("..") || d.contains("//")) {
                    throw new IllegalArgumentException("must be a plain relative path such as lake or data/pulse");
                }
                return d;
            });
            if (directory == null) {
                directory = "";
            }
            Duration timeout = typed(LAKE_ADLS_REQUEST_TIMEOUT, "30s", Durations::positive);
            Integer retries = typed(LAKE_ADLS_MAX_RETRIES, "8", s -> {
                int n = Integer.parseInt(s);
                if (n < 0 || n > 100) {
                    throw new IllegalArgumentException("must be a whole number from 0 to 100");
                }
                return n;
            });
            Duration backoff = typed(LAKE_ADLS_RETRY_BACKOFF, "500ms", Durations::positive);
            if (auth == null || endpoint == null || fileSystem == null || timeout == null || retries == null || backoff == null) {
                return Optional.empty(); // the problems are reported
            }
            return Optional.of(new Adls(endpoint, fileSystem, directory, auth, secret, timeout, retries, backoff));
        }

        /**
         * The dfs endpoint of an Azure Storage connection string, as the SDK derives it: its BlobEndpoint with
         * ".blob." made ".dfs." (custom domains, emulators), else https://<account>.dfs.<suffix> from
         * DefaultEndpointsProtocol, AccountName and EndpointSuffix.
         */
        private static String dfsEndpointOf(String connectionString) {
            Map<String, String> parts = new java.util.HashMap<>();
            for (String part : connectionString.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
            String blobEndpoint = parts.get("BlobEndpoint");
            if (blobEndpoint != null && !blobEndpoint.isEmpty()) {
                return blobEndpoint.replaceFirst("\\.blob\\.", ".dfs.").replaceAll("/+$", "");
            }
            String account = parts.get("AccountName");
            if (account == null) {
                return null;
            }
            String protocol = parts.getOrDefault("DefaultEndpointsProtocol", "https");
            String suffix = parts.getOrDefault("EndpointSuffix", "core.windows.net");
            return protocol + "://" + account + ".dfs." + suffix;
        }

        /** An Azure Storage (not Event Hubs) secret: it carries an account key, or its key is one of the lake's. */
        private static boolean isStorageSecret(Map.Entry<String, String> entry) {
            String value = entry.getValue() == null ? "" : entry.getValue();
            return value.contains("AccountKey=") || entry.getKey().toLowerCase(Locale.ROOT).contains("adls");
        }

        /** A connection string under any key spelling, or any value that carries a shared access key. */
        private static boolean looksLikeConnectionString(Map.Entry<String, String> entry) {
            String key = entry.getKey().toLowerCase(Locale.ROOT).replace('_', '-');
            String value = entry.getValue() == null ? "" : entry.getValue();
            return key.contains("connection-string") || value.contains("SharedAccessKey=") || value.contains("AccountKey=");
        }

        private void checkUnknownKeys(Map<String, String> source, String where) {
            for (String key : source.keySet()) {
                if (key.startsWith("pulse.") && !DESCRIPTIONS.containsKey(key) && !isConnectorKey(key)) {
                    problems.add("unknown key '" + key + "' in the " + where + suggestion(key));
                }
            }
        }

        private static boolean isConnectorKey(String key) {
            return CONNECTOR_PREFIXES.stream().anyMatch(key::startsWith);
        }

        /** The connectors' own keys from the file and the command line (the command line wins); they validate them. */
        private Map<String, String> connectorProperties() {
            Map<String, String> m = new java.util.TreeMap<>();
            file.forEach((k, v) -> {
                if (isConnectorKey(k)) {
                    m.put(k, v);
                }
            });
            overrides.forEach((k, v) -> {
                if (isConnectorKey(k)) {
                    m.put(k, v);
                }
            });
            return Collections.unmodifiableMap(m);
        }

        private static String suggestion(String key) {
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String known : DESCRIPTIONS.keySet()) {
                int d = distance(key, known);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = known;
                }
            }
            return best != null && bestDistance <= 4 ? " (did you mean '" + best + "'?)" : "";
        }

        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }

        private String raw(String key) {
            String v = overrides.get(key);
            if (v == null) {
                v = env.get(envName(key));
            }
            if (v == null) {
                v = file.get(key);
            }
            return v == null || v.isBlank() ? null : v.trim();
        }

        private <T> T typed(String key, String defaultValue, Function<String, T> parse) {
            String v = raw(key);
            if (v == null) {
                v = defaultValue;
            }
            if (v == null) {
                return null;
            }
            try {
                return parse.apply(v);
            } catch (RuntimeException e) {
                String why = e instanceof NumberFormatException ? "must be a number" : e.getMessage();
                problems.add("'" + key + "' " + why + ", got '" + v + "'");
                return null;
            }
        }

        /** A host name, IPv4 or bracketed IPv6 address, a colon and a port other instances can connect to. */
        private static String hostPort(String s) {
            if (!s.matches("([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+])"
                    + ":([1-9][0-9]{0,4})") || Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)) > 65535) {
                throw new IllegalArgumentException("must be host:port that other instances can reach, such as"
                        + " pulse-insights-0.pulse-insights-headless:7070 (port 1 to 65535)");
            }
            return s;
        }

        private static int port(String s) {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("must be a port from 0 to 65535");
            }
            return p;
        }

        private static double rate(String s) {
            double d = Double.parseDouble(s);
            if (!(d >= 0 && d <= 1)) {
                throw new IllegalArgumentException("must be a share from 0 to 1, such as 0.01");
            }
            return d;
        }

        private static int positiveInt(String s, int max) {
            int n = Integer.parseInt(s);
            if (n < 1 || n > max) {
                throw new IllegalArgumentException("must be a whole number from 1 to " + max);
            }
            return n;
        }

        private static String hostPorts(String s) {
            for (String hp : s.split(",")) {
                String t = hp.trim();
                int colon = t.lastIndexOf(':');
                if (colon <= 0 || colon == t.length() - 1) {
                    throw new IllegalArgumentException("must be host:port[,host:port...]");
                }
                port(t.substring(colon + 1));
            }
            return s.trim();
        }

        /** An http(s) URL kept exactly as given (an issuer is compared character for character). */
        private static String httpUrlExact(String s) {
            if (!s.startsWith("http://") && !s.startsWith("https://")) {
                throw new IllegalArgumentException("must be an http:// or https:// URL");
            }
            return s;
        }

        private static String httpUrl(String s) {
            if (!s.startsWith("http://") && !s.startsWith("https://")) {
                throw new IllegalArgumentException("must be an http:// or https:// URL");
            }
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        private static String identifier(String s) {
            if (!s.matches("[A-Za-z0-9._-]{1,200}")) {
                throw new IllegalArgumentException("must use only letters, digits, '.', '_' and '-'");
            }
            return s;
        }

        private static List<String> tenantList(String s) {
            List<String> list = Arrays.stream(s.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
            if (list.isEmpty()) {
                throw new IllegalArgumentException("must name at least one tenant");
            }
            for (String t : list) {
                if (!TenantIds.isValid(t)) {
                    throw new IllegalArgumentException("has an invalid tenant '" + t + "' (" + TenantIds.RULE + ")");
                }
            }
            return list;
        }
    }
}
