package io.pulse.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.launcher.PulseCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pulse bench} end to end with very short stages: it must finish and write a report with every section and a
 * positive number where one must be. No timing is asserted: the numbers of a 2-second stage mean nothing.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BenchSmokeIT {
    @TempDir
    Path dataDir;

    @TempDir
    Path outDir;

    @Test
    void writesAReportWithEverySectionMeasured() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cmd = PulseCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        int exit = cmd.execute("bench", "--duration-per-stage", "2s", "--data-dir", dataDir.resolve("bench").toString(),
                "--out", outDir.toString(), "--set", "pulse.lake.flush-interval=1s");

        assertThat(exit).as("exit code; output:%n%s", out).isZero();
        assertThat(out.toString()).contains("| ceiling | raw producer |").contains("Report written to ");
        Path json;
        try (Stream<Path> files = Files.list(outDir)) {
            List<Path> written = files.toList();
            assertThat(written).as("a markdown and a JSON report").hasSize(2);
            json = written.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        JsonNode sections = new ObjectMapper().readTree(json.toFile()).get("sections");
        BenchReport.SECTIONS.forEach(s -> assertThat(sections.get(s)).as("section %s", s).isNotEmpty());
        Map<String, List<String>> mustBePositive = Map.of(
                "ceiling", List.of("raw producer", "raw consumer"),
                "pipeline", List.of("saturated topology rate (probe)"),
                "guarantees", List.of("exactly_once_v2 (probe)", "at_least_once (probe)"),
                "freshness", List.of("max"),
                "lake", List.of("Parquet bytes per event"),
                "api", List.of("metric queries", "p99 latency"),
                "memory", List.of("heap used, max at half load"));
        mustBePositive.forEach((section, names) -> names.forEach(name -> {
            JsonNode row = find(sections.get(section), name);
            assertThat(row).as("%s / %s in %s", section, name, sections.get(section)).isNotNull();
            assertThat(row.get("value").asDouble()).as("%s / %s", section, name).isPositive();
            assertThat(row.get("limitedBy").asText()).as("what limited %s / %s", section, name).isNotBlank();
        }));
        assertThat(find(sections.get("ceiling"), "raw producer").get("ratioOfCeiling").asDouble()).isPositive();
    }

    private static JsonNode find(JsonNode rows, String name) {
        for (JsonNode row : rows) {
            if (row.get("name").asText().equals(name)) {
                return row;
            }
        }
        return null;
    }
}
