package io.pulse.ingest.jdbc;

import io.pulse.ingest.delivery.DeadLetters;
import io.pulse.ingest.delivery.EventDelivery;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Wiring help for the launcher: every {@code pulse.ingest.jdbc.<name>.*} source of a configuration, unstarted. */
public final class JdbcSources {
    /** Where position files go unless a source sets {@code position.dir}: {@code <data-dir>/jdbc-positions}. */
    public static final String POSITIONS_DIR = "jdbc-positions";

    private JdbcSources() {
    }

    /**
     * @param file    the properties file's entries (other keys are ignored)
     * @param env     the process environment (passwords, overrides)
     * @param dataDir Pulse's data directory
     * @throws io.pulse.common.config.ConfigException naming every bad key of every source
     */
    public static List<JdbcPollingSource> create(Map<String, String> file, Map<String, String> env, Path dataDir,
                                                 EventDelivery delivery, DeadLetters deadLetters, Clock clock) {
        return JdbcSourceConfig.loadAll(file, env, dataDir.resolve(POSITIONS_DIR)).stream()
                .map(config -> new JdbcPollingSource(config, delivery, deadLetters, clock))
                .toList();
    }
}
