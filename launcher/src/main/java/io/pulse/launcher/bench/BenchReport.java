package io.pulse.launcher.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The result of one {@code pulse bench} run: measurements grouped in sections, each with its unit, its ratio to the
 * ceiling measured in the same run (throughputs only) and what limited it, rendered as markdown and as JSON.
 */
public final class BenchReport {
    /** The sections every complete report has, in order. */
    public static final List<String> SECTIONS = List.of("ceiling", "pipeline", "guarantees", "freshness", "lake", "api", "memory");

    /**
     * One number.
     *
     * @param ratio     value divided by the ceiling (records/s of the raw broker), when comparing them makes sense
     * @param limitedBy what bounded this number, as far as the run could tell
     */
    public record Measurement(String section, String name, double value, String unit, OptionalDouble ratio, String limitedBy) {
        public Measurement {
            if (!SECTIONS.contains(section)) {
                throw new IllegalArgumentException("unknown section '" + section + "', expected one of " + SECTIONS);
            }
        }
    }

    private final Instant startedAt;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Duration elapsed = Duration.ZERO;

    public BenchReport(Instant startedAt) {
        this.startedAt = startedAt;
    }

    /** {@code value / ceiling}, empty when the ceiling is not a positive number. */
    public static OptionalDouble ratio(double value, double ceiling) {
        return ceiling > 0 && Double.isFinite(ceiling) && Double.isFinite(value) ? OptionalDouble.of(value / ceiling) : OptionalDouble.empty();
    }

    /**
     * The {@code p}-th percentile (0..100) of {@code values} by the nearest-rank method; 0 for no values.
     * Sorts a copy.
     */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public BenchReport setting(String key, Object value) {
        settings.put(key, String.valueOf(value));
        return this;
    }

    public BenchReport add(String section, String name, double value, String unit, String limitedBy) {
        measurements.add(new Measurement(section, name, value, unit, OptionalDouble.empty(), limitedBy));
        return this;
    }

    /** A throughput, with its ratio to {@code ceiling} (same unit). */
    public BenchReport addThroughput(String section, String name, double value, String unit, double ceiling, String limitedBy) {
        measurements.add(new Measurement(section, name, value, unit, ratio(value, ceiling), limitedBy));
        return this;
    }

    public BenchReport note(String note) {
        notes.add(note);
        return this;
    }

    public void finish(Duration elapsed) {
        this.elapsed = elapsed;
    }

    public List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    public OptionalDouble value(String section, String name) {
        return measurements.stream().filter(m -> m.section().equals(section) && m.name().equals(name))
                .mapToDouble(Measurement::value).findFirst();
    }

    /** A number for a table: no more than 3 significant decimals, thousands separated. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String percent(OptionalDouble ratio) {
        if (ratio.isEmpty()) {
            return "—";
        }
        double pct = ratio.getAsDouble() * 100;
        return String.format(Locale.ROOT, pct != 0 && Math.abs(pct) < 1 ? "%.3f%%" : "%.1f%%", pct);
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Pulse bench report\n\n");
        b.append("Started ").append(startedAt).append(", took ").append(elapsed.toSeconds()).append(" s.\n\n");
        settings.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append('\n');
        b.append("| section | measurement | value | unit | of ceiling | limited by |\n");
        b.append("| --- | --- | ---: | --- | ---: | --- |\n");
        for (String section : SECTIONS) {
            for (Measurement m : measurements) {
                if (m.section().equals(section)) {
                    b.append("| ").append(section).append(" | ").append(m.name()).append(" | ").append(number(m.value()))
                            .append(" | ").append(m.unit()).append(" | ").append(percent(m.ratio())).append(" | ")
                            .append(m.limitedBy().replace("|", "\\|")).append(" |\n");
                }
            }
        }
        if (!notes.isEmpty()) {
            b.append("\nNotes:\n\n");
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("startedAt", startedAt.toString());
        root.put("elapsedSeconds", elapsed.toSeconds());
        root.put("settings", settings);
        Map<String, List<Map<String, Object>>> sections = new LinkedHashMap<>();
        for (String section : SECTIONS) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Measurement m : measurements) {
                if (m.section().equals(section)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", m.name());
                    row.put("value", Double.isFinite(m.value()) ? m.value() : null);
                    row.put("unit", m.unit());
                    row.put("ratioOfCeiling", m.ratio().isPresent() ? m.ratio().getAsDouble() : null);
                    row.put("limitedBy", m.limitedBy());
                    rows.add(row);
                }
            }
            sections.put(section, rows);
        }
        root.put("sections", sections);
        root.put("notes", notes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the bench report as JSON", e);
        }
    }
}
