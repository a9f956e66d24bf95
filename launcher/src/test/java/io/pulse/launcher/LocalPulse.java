package io.pulse.launcher;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Pulse on embedded infrastructure for integration tests, wired as the demo wires it. */
public final class LocalPulse implements AutoCloseable {
    private EmbeddedInfrastructure infrastructure;
    private PulsePipeline pipeline;

    /** Everything under {@code dataDir} on free ports, generator off, with {@code extra} keys on top. */
    public static PulseConfig config(Path dataDir, Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(Map.of(
                ConfigKeys.DATA_DIR, dataDir.toString(),
                ConfigKeys.BROKER_PORT, "0",
                ConfigKeys.CONTROLLER_PORT, "0",
                ConfigKeys.REGISTRY_PORT, "0",
                ConfigKeys.API_PORT, "0",
                ConfigKeys.GENERATOR_RATE, "0"));
        overrides.putAll(extra);
        return PulseConfig.load(Map.of(), Map.of(), overrides);
    }

    /** Starts the broker and registry, then the pipeline. */
    void start(PulseConfig config) {
        infrastructure = EmbeddedInfrastructure.start(config);
        startPipeline(config);
    }

    /** Stops the pipeline as Ctrl-C does; the broker and registry keep running. */
    void stopPipeline() {
        pipeline.close();
        pipeline = null;
    }

    /** Starts a pipeline on the running broker and the configuration's data directory. */
    void startPipeline(PulseConfig config) {
        pipeline = PulsePipeline.start(config, infrastructure.clients(), infrastructure.registryUrl());
    }

    EmbeddedInfrastructure infrastructure() {
        return infrastructure;
    }

    PulsePipeline pipeline() {
        return pipeline;
    }

    /** Stops the pipeline, then the infrastructure; what was not started is skipped. */
    @Override
    public void close() {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            pipeline = null;
            if (infrastructure != null) {
                infrastructure.close();
            }
            infrastructure = null;
        }
    }
}
