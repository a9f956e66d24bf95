package io.pulse.ingest.blob;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.pulse.common.config.ConfigException;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.Durations;
import io.pulse.ingest.delivery.SourceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Azure Blob drop source's typed configuration, validated at creation and immutable afterwards. Every
 * problem is reported at once, each naming its key ({@link #load}) and what was expected.
 *
 * @param connection     how to reach the storage account (secrets only from the environment)
 * @param container      the container watched for drops
 * @param prefix         only blobs whose names start with this are drops ("" for all)
 * @param pollInterval   how often the container is listed
 * @param batchSize      lines handed to the delivery path at once; progress is recorded after each batch
 * @param maxLineBytes   a longer line is dead-lettered (cut to this size), never delivered
 * @param formats        blob name extension (lower case, with the dot) to format; other blobs are not drops
 * @param sourceName     the name of this source ({@code blob/<name>}), in dead letters and logs
 * @param sourceSystem   the envelope's {@code source.system} for lines that name none
 * @param ledgerDir      where the ledger of ingested blobs lives (one source instance per directory)
 * @param retry          how transient storage errors (408, 429, 5xx, I/O) are retried
 */
public record BlobDropConfig(
        Connection connection,
        String container,
        String prefix,
        Duration pollInterval,
        int batchSize,
        int maxLineBytes,
        Map<String, BlobFormat> formats,
        String sourceName,
        String sourceSystem,
        Path ledgerDir,
        Retry retry) {

    public static final String CONTAINER = "pulse.ingest.blob.container";
    public static final String PREFIX = "pulse.ingest.blob.prefix";
    public static final String POLL_INTERVAL = "pulse.ingest.blob.poll-interval";
    public static final String BATCH_SIZE = "pulse.ingest.blob.batch-size";
    public static final String FORMATS = "pulse.ingest.blob.formats";
    public static final String SOURCE_NAME = "pulse.ingest.blob.source-name";
    public static final String SOURCE_SYSTEM = "pulse.ingest.blob.source-system";
    public static final String LEDGER_DIR = "pulse.ingest.blob.ledger-dir";
    public static final String ACCOUNT_NAME = "pulse.ingest.blob.account-name";
    public static final String ENDPOINT = "pulse.ingest.blob.endpoint";
    public static final String RETRY_MAX_ATTEMPTS = "pulse.ingest.blob.retry.max-attempts";
    public static final String RETRY_INITIAL_BACKOFF = "pulse.ingest.blob.retry.initial-backoff";
    public static final String RETRY_MAX_BACKOFF = "pulse.ingest.blob.retry.max-backoff";
    /** Environment only: a secret never belongs in a file. */
    public static final String CONNECTION_STRING_ENV = "PULSE_INGEST_BLOB_CONNECTION_STRING";
    /** Environment only: a secret never belongs in a file. */
    public static final String ACCOUNT_KEY_ENV = "PULSE_INGEST_BLOB_ACCOUNT_KEY";

    public static final int DEFAULT_BATCH_SIZE = 500;
    /** Event Hubs refuses records over 1 MB; a line is one event. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1_000_000;
    public static final String DEFAULT_FORMATS = ".jsonl=json-lines,.ndjson=json-lines,.csv=csv";

    /** Key (or environment variable) to a one-line description, for {@code pulse config} and the README. */
    public static final Map<String, String> DESCRIPTIONS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(CONTAINER, "Azure Blob container watched for dropped JSON-lines and CSV files (setting it turns the blob drop source on)");
        d.put(PREFIX, "only blobs whose names start with this are drops (default: all)");
        d.put(POLL_INTERVAL, "how often the container is listed for new drops (default 10s)");
        d.put(BATCH_SIZE, "lines delivered at once; progress is recorded after each batch (default " + DEFAULT_BATCH_SIZE + ")");
        d.put(FORMATS, "extension=format pairs, formats json-lines or csv (default " + DEFAULT_FORMATS + ")");
        d.put(SOURCE_NAME, "name of the source, blob/<name> in dead letters and logs (default: the container)");
        d.put(SOURCE_SYSTEM, "source.system of lines that name none (default: blob/<container>)");
        d.put(LEDGER_DIR, "directory of the ledger of ingested blobs (default: <data-dir>/ingest/blob/<source-name>)");
        d.put(ACCOUNT_NAME, "storage account, with " + ACCOUNT_KEY_ENV + ", when no connection string is given");
        d.put(ENDPOINT, "blob endpoint of that account (default https://<account>.blob.core.windows.net)");
        d.put(RETRY_MAX_ATTEMPTS, "attempts of a storage call that fails with 408, 429, 5xx or an I/O error (default 5)");
        d.put(RETRY_INITIAL_BACKOFF, "wait before the first retry, doubled each time (default 500ms)");
        d.put(RETRY_MAX_BACKOFF, "longest wait between retries and between failing polls (default 1m)");
        d.put(CONNECTION_STRING_ENV, "environment only: the storage account's connection string");
        d.put(ACCOUNT_KEY_ENV, "environment only: the key of " + ACCOUNT_NAME);
        DESCRIPTIONS = Collections.unmodifiableMap(d);
    }

    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final Pattern EXTENSION = Pattern.compile("\\.[a-z0-9][a-z0-9._-]{0,15}");

    /** How to reach the storage account; its toString never shows a secret. */
    public sealed interface Connection permits ConnectionString, AccountKey {
    }

    /** A connection string ({@code DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...} or a SAS form). */
    public record ConnectionString(String value) implements Connection {
        public ConnectionString {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "ConnectionString[***]";
        }
    }

    /** An account name and its shared key, at an endpoint. */
    public record AccountKey(String endpoint, String accountName, String key) implements Connection {
        @Override
        public String toString() {
            return "AccountKey[endpoint=" + endpoint + ", account=" + accountName + ", key=***]";
        }
    }

    /** Attempts and exponential backoff of transient storage errors. */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    }

    public BlobDropConfig {
        List<String> problems = new ArrayList<>();
        if (connection == null) {
            problems.add("the blob drop source needs a connection: set " + CONNECTION_STRING_ENV + ", or '" + ACCOUNT_NAME
                    + "' with " + ACCOUNT_KEY_ENV);
        }
        if (container == null || !CONTAINER_NAME.matcher(container).matches()) {
            problems.add("'" + CONTAINER + "' must be a container name (3 to 63 lower-case letters, digits and single"
                    + " hyphens, starting and ending with a letter or digit), got '" + container + "'");
        }
        prefix = prefix == null ? "" : prefix;
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            problems.add("'" + POLL_INTERVAL + "' must be a positive duration such as 10s, got '" + pollInterval + "'");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            problems.add("'" + BATCH_SIZE + "' must be a whole number from 1 to 100000, got '" + batchSize + "'");
        }
        if (maxLineBytes < 1024) {
            problems.add("the longest line must be at least 1024 bytes, got " + maxLineBytes);
        }
        if (formats == null || formats.isEmpty()) {
            problems.add("'" + FORMATS + "' must map at least one extension to a format, such as " + DEFAULT_FORMATS);
        } else {
            formats.keySet().stream().filter(ext -> !EXTENSION.matcher(ext).matches()).forEach(ext -> problems.add("'" + FORMATS
                    + "' has the extension '" + ext + "'; an extension is a dot and 1 to 16 lower-case letters, digits, '.', '_' or '-'"));
            formats = Collections.unmodifiableMap(new LinkedHashMap<>(formats));
        }
        if (sourceName == null || !isSourceName(sourceName)) {
            problems.add("'" + SOURCE_NAME + "' must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit,"
                    + " got '" + sourceName + "'");
        }
        if (sourceSystem == null || sourceSystem.isBlank() || sourceSystem.length() > 200) {
            problems.add("'" + SOURCE_SYSTEM + "' must be 1 to 200 characters, got '" + sourceSystem + "'");
        }
        if (ledgerDir == null) {
            problems.add("'" + LEDGER_DIR + "' is required");
        }
        if (retry == null || retry.maxAttempts() < 1 || retry.maxAttempts() > 100) {
            problems.add("'" + RETRY_MAX_ATTEMPTS + "' must be a whole number from 1 to 100, got '"
                    + (retry == null ? null : retry.maxAttempts()) + "'");
        } else if (!isPositive(retry.initialBackoff()) || !isPositive(retry.maxBackoff())
                || retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
            problems.add("'" + RETRY_INITIAL_BACKOFF + "' and '" + RETRY_MAX_BACKOFF + "' must be positive durations, the first"
                    + " not longer than the second, got '" + retry.initialBackoff() + "' and '" + retry.maxBackoff() + "'");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Whether the blob drop source is asked for: its container is set. */
    public static boolean isConfigured(Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
        return new Values(file, env, overrides).raw(CONTAINER) != null;
    }

    /**
     * Resolves and validates, each key looked up like {@link io.pulse.common.config.PulseConfig#load}: explicit
     * overrides first, then the environment variable ({@link ConfigKeys#envName}), then the configuration file.
     *
     * @param dataDir Pulse's data directory, home of the default ledger directory
     */
    public static BlobDropConfig load(Map<String, String> file, Map<String, String> env, Map<String, String> overrides, Path dataDir) {
        Values v = new Values(file, env, overrides);
        List<String> problems = v.problems;
        if (file.entrySet().stream().anyMatch(BlobDropConfig::looksLikeStorageSecret)) {
            problems.add("a storage secret must not be written in a configuration file: set the environment variable "
                    + CONNECTION_STRING_ENV + " or " + ACCOUNT_KEY_ENV + " instead");
        }
        String container = v.raw(CONTAINER);
        if (container == null) {
            problems.add("'" + CONTAINER + "' is required (the container watched for drops)");
        }
        Connection connection = connection(v, env);
        String prefix = Optional.ofNullable(v.raw(PREFIX)).orElse("");
        Duration poll = v.typed(POLL_INTERVAL, "10s", Durations::positive);
        Integer batch = v.typed(BATCH_SIZE, Integer.toString(DEFAULT_BATCH_SIZE), Integer::parseInt);
        Map<String, BlobFormat> formats = v.typed(FORMATS, DEFAULT_FORMATS, BlobDropConfig::formats);
        String sourceName = Optional.ofNullable(v.raw(SOURCE_NAME)).orElse(container);
        String sourceSystem = Optional.ofNullable(v.raw(SOURCE_SYSTEM)).orElse("blob/" + container);
        Path ledger = v.typed(LEDGER_DIR, sourceName == null ? null : dataDir.resolve("ingest").resolve("blob").resolve(sourceName).toString(),
                s -> Path.of(s).toAbsolutePath().normalize());
        Integer attempts = v.typed(RETRY_MAX_ATTEMPTS, "5", Integer::parseInt);
        Duration initial = v.typed(RETRY_INITIAL_BACKOFF, "500ms", Durations::positive);
        Duration max = v.typed(RETRY_MAX_BACKOFF, "1m", Durations::positive);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new BlobDropConfig(connection, container, prefix, poll, batch, DEFAULT_MAX_LINE_BYTES, formats, sourceName,
                sourceSystem, ledger, new Retry(attempts, initial, max));
    }

    /** For tests and embedding: the defaults of {@link #load}, then changed with the builder's methods. */
    public static Builder builder(Connection connection, String container, Path ledgerDir) {
        return new Builder(connection, container, ledgerDir);
    }

    public SourceId sourceId() {
        return new SourceId("blob", sourceName);
    }

    /** The format of a blob by its name's extension (the longest configured one that matches), or empty when it is no drop. */
    public Optional<BlobFormat> formatOf(String blobName) {
        String lower = blobName.toLowerCase(Locale.ROOT);
        String best = null;
        for (String ext : formats.keySet()) {
            if (lower.endsWith(ext) && lower.length() > ext.length() && (best == null || ext.length() > best.length())) {
                best = ext;
            }
        }
        return Optional.ofNullable(best).map(formats::get);
    }

    private static Connection connection(Values v, Map<String, String> env) {
        String cs = blankToNull(env.get(CONNECTION_STRING_ENV));
        String key = blankToNull(env.get(ACCOUNT_KEY_ENV));
        String account = v.raw(ACCOUNT_NAME);
        if (cs != null && (key != null || account != null)) {
            v.problems.add(CONNECTION_STRING_ENV + " and '" + ACCOUNT_NAME + "'/" + ACCOUNT_KEY_ENV + " contradict each other: set only one");
            return null;
        }
        if (cs != null) {
            try {
                new BlobServiceClientBuilder().connectionString(cs); // the SDK's own parser; its verdict is the one that counts
            } catch (RuntimeException e) {
                v.problems.add(CONNECTION_STRING_ENV + " is not a valid Azure Storage connection string (expected"
                        + " DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net"
                        + " or BlobEndpoint=...;SharedAccessSignature=...)");
                return null;
            }
            return new ConnectionString(cs);
        }
        if (account == null) {
            v.problems.add("the blob drop source needs " + CONNECTION_STRING_ENV + ", or '" + ACCOUNT_NAME + "' with " + ACCOUNT_KEY_ENV
                    + " (DefaultAzureCredential is not supported yet)");
            return null;
        }
        if (!ACCOUNT.matcher(account).matches()) {
            v.problems.add("'" + ACCOUNT_NAME + "' must be 3 to 24 lower-case letters and digits, got '" + account + "'");
            return null;
        }
        if (key == null) {
            v.problems.add("'" + ACCOUNT_NAME + "' needs the environment variable " + ACCOUNT_KEY_ENV
                    + " (DefaultAzureCredential is not supported yet)");
            return null;
        }
        String endpoint = v.typed(ENDPOINT, "https://" + account + ".blob.core.windows.net", s -> {
            if (!s.startsWith("https://") && !s.startsWith("http://")) {
                throw new IllegalArgumentException("must be an http:// or https:// URL");
            }
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        });
        return endpoint == null ? null : new AccountKey(endpoint, account, key);
    }

    private static boolean isSourceName(String name) {
        try {
            new SourceId("blob", name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A secret under any key spelling, or a value that carries an account key or a SAS signature. */
    private static boolean looksLikeStorageSecret(Map.Entry<String, String> entry) {
        String key = entry.getKey().toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
        String value = entry.getValue() == null ? "" : entry.getValue();
        return key.contains("connection-string") || key.contains("account-key")
                || value.contains("AccountKey=") || value.contains("SharedAccessSignature=");
    }

    private static Map<String, BlobFormat> formats(String s) {
        Map<String, BlobFormat> m = new LinkedHashMap<>();
        for (String pair : s.split(",")) {
            String t = pair.trim();
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("must be extension=format pairs such as " + DEFAULT_FORMATS);
            }
            String ext = t.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            m.put(ext.startsWith(".") ? ext : "." + ext, BlobFormat.parse(t.substring(eq + 1)));
        }
        return m;
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Key lookup in precedence order, collecting problems that name the key. */
    private static final class Values {
        private final Map<String, String> file;
        private final Map<String, String> env;
        private final Map<String, String> overrides;
        private final List<String> problems = new ArrayList<>();

        Values(Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
            this.file = file;
            this.env = env;
            this.overrides = overrides;
        }

        String raw(String key) {
            String v = overrides.get(key);
            if (v == null) {
                v = env.get(ConfigKeys.envName(key));
            }
            if (v == null) {
                v = file.get(key);
            }
            return blankToNull(v);
        }

        <T> T typed(String key, String defaultValue, Function<String, T> parse) {
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
                String why = e instanceof NumberFormatException ? "must be a whole number" : e.getMessage();
                problems.add("'" + key + "' " + why + ", got '" + v + "'");
                return null;
            }
        }
    }

    /** Changes the defaults of {@link #load}; {@link #build()} validates. */
    public static final class Builder {
        private final Connection connection;
        private final String container;
        private final Path ledgerDir;
        private String prefix = "";
        private Duration pollInterval = Duration.ofSeconds(10);
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private Map<String, BlobFormat> formats = BlobDropConfig.formats(DEFAULT_FORMATS);
        private String sourceName;
        private String sourceSystem;
        private Retry retry = new Retry(5, Duration.ofMillis(500), Duration.ofMinutes(1));

        private Builder(Connection connection, String container, Path ledgerDir) {
            this.connection = connection;
            this.container = container;
            this.ledgerDir = ledgerDir;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder maxLineBytes(int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        public Builder formats(Map<String, BlobFormat> formats) {
            this.formats = formats;
            return this;
        }

        public Builder sourceName(String sourceName) {
            this.sourceName = sourceName;
            return this;
        }

        public Builder sourceSystem(String sourceSystem) {
            this.sourceSystem = sourceSystem;
            return this;
        }

        public Builder retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.retry = new Retry(maxAttempts, initialBackoff, maxBackoff);
            return this;
        }

        public BlobDropConfig build() {
            return new BlobDropConfig(connection, container, prefix, pollInterval, batchSize, maxLineBytes, formats,
                    sourceName == null ? container : sourceName, sourceSystem == null ? "blob/" + container : sourceSystem,
                    ledgerDir, retry);
        }
    }
}
