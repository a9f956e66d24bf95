package io.pulse.launcher.commands;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The configuration options every command shares: a file, single keys, and the data directory. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with pulse.* keys (no secrets: those come from the environment).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set one configuration key, e.g. --set pulse.metrics.window-grace=1m (repeatable).")
    Map<String, String> values = new LinkedHashMap<>();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where data is kept (default: ./.pulse).")
    Path dataDir;

    /** Extra overrides a command adds from its own options. */
    public PulseConfig load(Map<String, String> commandOverrides) {
        Map<String, String> overrides = new HashMap<>(values);
        if (dataDir != null) {
            overrides.put(ConfigKeys.DATA_DIR, dataDir.toString());
        }
        overrides.putAll(commandOverrides);
        return PulseConfig.load(readFile(), System.getenv(), overrides);
    }

    /** Whether {@code key} is given explicitly (--set, the environment or the file), not left to the profile's default. */
    public boolean sets(String key) {
        return values.containsKey(key) || System.getenv(ConfigKeys.envName(key)) != null || readFile().containsKey(key);
    }

    private Map<String, String> readFile() {
        if (file == null) {
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file '" + file + "': " + e.getMessage());
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
