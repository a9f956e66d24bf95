package io.pulse.ingest.http;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP ingest endpoint's settings, validated when built; every problem names its configuration key.
 *
 * @param maxRequestBytes        largest request body accepted; larger ones get 413 before they are parsed
 * @param maxEventsPerRequest    most events in one request; more get 413
 * @param tenantEventsPerSecond  per-tenant quota: events accepted per second (refilled continuously)
 * @param tenantBurst            per-tenant quota: the bucket size, at least {@code maxEventsPerRequest} so that every
 *                               request that is small enough can eventually pass
 * @param requestTimeout         how long a request waits for its events to become durable before it gets 503; must be longer
 *                               than the delivery path needs to fall back to its outbox, or an outage answers 503
 * @param retryAfter             the {@code Retry-After} of a 503 (paused source, delivery not possible)
 * @param sourceKeys             the HTTP sources, each with its key hash and tenants; key hashes are unique
 * @param adminKey               the admin endpoints' key; without one they answer 403
 */
public record IngestHttpSettings(int maxRequestBytes, int maxEventsPerRequest, long tenantEventsPerSecond, long tenantBurst,
                                 Duration requestTimeout, Duration retryAfter, List<SourceKey> sourceKeys,
                                 Optional<KeyHash> adminKey) {

    public static final String MAX_REQUEST_BYTES = "pulse.ingest.http.max-request-bytes";
    public static final String MAX_EVENTS_PER_REQUEST = "pulse.ingest.http.max-events-per-request";
    public static final String TENANT_EVENTS_PER_SECOND = "pulse.ingest.http.tenant-events-per-second";
    public static final String TENANT_BURST = "pulse.ingest.http.tenant-burst";
    public static final String REQUEST_TIMEOUT = "pulse.ingest.http.request-timeout";
    public static final String RETRY_AFTER = "pulse.ingest.http.retry-after";
    /** {@code <source>:<tenant>[+<tenant>...]:<sha256-hex>[,...]}, e.g. {@code webshop:contoso+fabrikam:9f86d0...}. */
    public static final String SOURCE_KEYS = "pulse.ingest.http.source-keys";
    public static final String ADMIN_KEY_SHA256 = "pulse.ingest.admin.key-sha256";

    /** Key to a one-line description, for the launcher's list of keys. */
    public static final Map<String, String> DESCRIPTIONS = Map.of(
            MAX_REQUEST_BYTES, "largest HTTP ingest request body in bytes; larger ones get 413 (default 1048576)",
            MAX_EVENTS_PER_REQUEST, "most events in one HTTP ingest request; more get 413 (default 500)",
            TENANT_EVENTS_PER_SECOND, "per-tenant HTTP ingest quota in events per second; over it requests get 429 (default 500)",
            TENANT_BURST, "per-tenant HTTP ingest burst: events accepted at once from a full bucket, at least the max events per request (default 1000)",
            REQUEST_TIMEOUT, "how long an HTTP ingest request waits for its events to become durable before answering 503; longer than the delivery path's own timeout (default 60s)",
            RETRY_AFTER, "Retry-After of HTTP ingest's 503 answers (default 5s)",
            SOURCE_KEYS, "HTTP ingest sources as <source>:<tenant>[+<tenant>...]:<sha256 of the key>, comma-separated",
            ADMIN_KEY_SHA256, "SHA-256 (hex) of the admin endpoints' key; without it /admin answers 403");

    public static final int DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
    public static final int DEFAULT_MAX_EVENTS_PER_REQUEST = 500;
    public static final long DEFAULT_TENANT_EVENTS_PER_SECOND = 500;
    public static final long DEFAULT_TENANT_BURST = 1000;
    /**
     * Longer than the delivery path's worst case before the outbox takes an event (its own delivery timeout, 30 s by
     * default, plus its margin), so that a broker outage still gets 202 rather than 503.
     */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    public IngestHttpSettings {
        sourceKeys = List.copyOf(sourceKeys);
        adminKey = adminKey == null ? Optional.empty() : adminKey;
        List<String> problems = new ArrayList<>();
        if (maxRequestBytes < 1) {
            problems.add("'" + MAX_REQUEST_BYTES + "' must be a positive number of bytes, got " + maxRequestBytes);
        }
        if (maxEventsPerRequest < 1) {
            problems.add("'" + MAX_EVENTS_PER_REQUEST + "' must be at least 1, got " + maxEventsPerRequest);
        }
        if (tenantEventsPerSecond < 1) {
            problems.add("'" + TENANT_EVENTS_PER_SECOND + "' must be at least 1, got " + tenantEventsPerSecond);
        }
        if (tenantBurst < maxEventsPerRequest) {
            problems.add("'" + TENANT_BURST + "' (" + tenantBurst + ") must be at least '" + MAX_EVENTS_PER_REQUEST + "' ("
                    + maxEventsPerRequest + "), or a full request could never pass the quota");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            problems.add("'" + REQUEST_TIMEOUT + "' must be a positive duration, got " + requestTimeout);
        }
        if (retryAfter == null || retryAfter.toSeconds() < 1) {
            problems.add("'" + RETRY_AFTER + "' must be at least 1s (Retry-After counts whole seconds), got " + retryAfter);
        }
        Set<String> names = new HashSet<>();
        Set<KeyHash> hashes = new HashSet<>();
        for (SourceKey k : sourceKeys) {
            if (!names.add(k.source())) {
                problems.add("'" + SOURCE_KEYS + "' names source '" + k.source() + "' twice");
            }
            if (!hashes.add(k.hash())) {
                problems.add("'" + SOURCE_KEYS + "' gives source '" + k.source() + "' a key hash another source already has; every source needs its own key");
            }
        }
        if (adminKey.isPresent() && hashes.contains(adminKey.get())) {
            problems.add("'" + ADMIN_KEY_SHA256 + "' equals a source's key hash in '" + SOURCE_KEYS + "'; the admin key must be a key of its own");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the settings from configuration values (file, environment and overrides already merged), using
     * the defaults for absent keys; reports every bad key at once.
     */
    public static IngestHttpSettings fromProperties(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        Builder b = builder();
        parse(values, MAX_REQUEST_BYTES, problems, s -> b.maxRequestBytes(positiveInt(s)));
        parse(values, MAX_EVENTS_PER_REQUEST, problems, s -> b.maxEventsPerRequest(positiveInt(s)));
        parse(values, TENANT_EVENTS_PER_SECOND, problems, s -> b.tenantEventsPerSecond(positiveInt(s)));
        parse(values, TENANT_BURST, problems, s -> b.tenantBurst(positiveInt(s)));
        parse(values, REQUEST_TIMEOUT, problems, s -> b.requestTimeout(Durations.parse(s)));
        parse(values, RETRY_AFTER, problems, s -> b.retryAfter(Durations.parse(s)));
        parse(values, SOURCE_KEYS, problems, s -> b.sourceKeys(sourceKeys(s)));
        parse(values, ADMIN_KEY_SHA256, problems, s -> b.adminKey(KeyHash.fromHex(s)));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return b.build();
    }

    /** Parses the {@link #SOURCE_KEYS} syntax. */
    public static List<SourceKey> sourceKeys(String text) {
        List<SourceKey> keys = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String[] parts = e.split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("has an entry that is not <source>:<tenant>[+<tenant>...]:<sha256-hex>: '"
                        + (parts.length > 0 ? parts[0] : "") + ":…'");
            }
            KeyHash hash;
            try {
                hash = KeyHash.fromHex(parts[2].trim());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("entry for source '" + parts[0].trim() + "': the key " + ex.getMessage());
            }
            List<String> tenants = Arrays.stream(parts[1].split("\\+")).map(String::trim).filter(t -> !t.isEmpty()).toList();
            keys.add(new SourceKey(parts[0].trim(), tenants, hash));
        }
        return keys;
    }

    private static void parse(Map<String, String> values, String key, List<String> problems, java.util.function.Consumer<String> set) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return;
        }
        try {
            set.accept(v.trim());
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "must be a whole number" : e.getMessage();
            // Never echo the value of the key lists: they are hashes, but configuration dumps stay short.
            String got = key.equals(SOURCE_KEYS) || key.equals(ADMIN_KEY_SHA256) ? "" : ", got '" + v.trim() + "'";
            problems.add("'" + key + "' " + why + got);
        }
    }

    private static int positiveInt(String s) {
        int n = Integer.parseInt(s);
        if (n < 1) {
            throw new IllegalArgumentException("must be a whole number of at least 1");
        }
        return n;
    }

    /** Builds settings in code (tests, the demo); starts from the defaults. */
    public static final class Builder {
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private int maxEventsPerRequest = DEFAULT_MAX_EVENTS_PER_REQUEST;
        private long tenantEventsPerSecond = DEFAULT_TENANT_EVENTS_PER_SECOND;
        private long tenantBurst = DEFAULT_TENANT_BURST;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private List<SourceKey> sourceKeys = List.of();
        private KeyHash adminKey;

        private Builder() {
        }

        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder maxEventsPerRequest(int events) {
            this.maxEventsPerRequest = events;
            return this;
        }

        public Builder tenantEventsPerSecond(long events) {
            this.tenantEventsPerSecond = events;
            return this;
        }

        public Builder tenantBurst(long events) {
            this.tenantBurst = events;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        public Builder sourceKeys(List<SourceKey> keys) {
            this.sourceKeys = keys;
            return this;
        }

        public Builder sourceKey(String source, String key, String... tenants) {
            List<SourceKey> all = new ArrayList<>(sourceKeys);
            all.add(new SourceKey(source, List.of(tenants), KeyHash.of(key)));
            this.sourceKeys = all;
            return this;
        }

        public Builder adminKey(KeyHash hash) {
            this.adminKey = hash;
            return this;
        }

        public IngestHttpSettings build() {
            return new IngestHttpSettings(maxRequestBytes, maxEventsPerRequest, tenantEventsPerSecond, tenantBurst,
                    requestTimeout, retryAfter, sourceKeys, Optional.ofNullable(adminKey));
        }
    }
}
