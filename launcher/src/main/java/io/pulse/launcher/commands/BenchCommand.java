package io.pulse.launcher.commands;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.launcher.bench.BenchReport;
import io.pulse.launcher.bench.BenchRunner;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The benchmark of issue 7: the broker's ceiling and the pipeline measured against it, in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Pulse on this machine with the embedded broker: the broker's ceiling (raw producer and consumer),",
                "then the real pipeline against it: sustained throughput, exactly_once_v2 vs at_least_once, freshness,",
                "the lake sink, API queries under load, memory. Prints a markdown report and writes it with a JSON copy.",
                "Takes about 8 stages x --duration-per-stage plus start-ups (~5 minutes with the defaults)."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--duration-per-stage", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long each measured stage runs, e.g. 30s or 1m (default 30s).")
    String durationPerStage;

    @Option(names = "--record-size", paramLabel = "BYTES",
            description = "Record size of the raw ceiling in bytes (default: the mean size of the generator's serialized envelopes, what the pipeline carries).")
    Integer recordSize;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report files go (default: ./bench-results).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Duration stage = parseDuration(durationPerStage);
        if (recordSize != null && recordSize <= 0) {
            throw new ParameterException(spec.commandLine(), "'--record-size' must be a positive number of bytes, got " + recordSize);
        }
        Path dataDir = options.dataDir != null ? options.dataDir : Files.createTempDirectory("pulse-bench-");
        if (options.dataDir != null && Files.isDirectory(dataDir)) {
            try (var entries = Files.list(dataDir)) {
                if (entries.findAny().isPresent()) {
                    throw new ParameterException(spec.commandLine(), "'--data-dir' must be empty or missing so that the bench starts from nothing, got '" + dataDir + "'");
                }
            }
        }
        Map<String, String> benchKeys = new HashMap<>();
        benchKeys.put(ConfigKeys.DATA_DIR, dataDir.toString());
        benchKeys.put(ConfigKeys.BROKER_PORT, "0");
        benchKeys.put(ConfigKeys.CONTROLLER_PORT, "0");
        benchKeys.put(ConfigKeys.REGISTRY_PORT, "0");
        benchKeys.put(ConfigKeys.API_PORT, "0");
        benchKeys.put(ConfigKeys.GENERATOR_RATE, "0"); // the bench drives the load itself
        benchKeys.put(ConfigKeys.API_RATE_LIMIT, "1000000"); // measure the API, not its rate limiter
        PulseConfig base = options.load(benchKeys);
        if (!base.generator().tenants().contains(BenchRunner.MARKER_TENANT)) {
            benchKeys.put(ConfigKeys.GENERATOR_TENANTS, String.join(",", base.generator().tenants()) + "," + BenchRunner.MARKER_TENANT);
        }

        BenchRunner runner = new BenchRunner(extra -> {
            Map<String, String> keys = new HashMap<>(benchKeys);
            keys.putAll(extra);
            return options.load(keys);
        }, new BenchRunner.Options(stage, recordSize == null ? OptionalInt.empty() : OptionalInt.of(recordSize)), System.err);
        BenchReport report = runner.run();

        Path dir = out != null ? out : Path.of("bench-results");
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path md = dir.resolve("bench-" + stamp + ".md");
        Path json = dir.resolve("bench-" + stamp + ".json");
        Files.writeString(md, report.markdown(), StandardCharsets.UTF_8);
        Files.writeString(json, report.json(), StandardCharsets.UTF_8);

        PrintWriter w = spec.commandLine().getOut();
        w.println(report.markdown());
        w.println("```json");
        w.println(report.json());
        w.println("```");
        w.println("Report written to " + md.toAbsolutePath() + " and " + json.toAbsolutePath());
        w.flush();
        return 0;
    }

    /** {@code 30s}, {@code 2m}, {@code 500ms} or an ISO-8601 duration; positive. */
    Duration parseDuration(String s) {
        Duration d;
        try {
            String t = s.trim().toLowerCase();
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.parse(s);
            }
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "'--duration-per-stage' must be a duration like 30s or 1m, got '" + s + "'");
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ParameterException(spec.commandLine(), "'--duration-per-stage' must be at least 1s, got '" + s + "'");
        }
        return d;
    }
}
