package io.pulse.launcher.wiring;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parts of Pulse one process can run ({@code pulse serve --components}); the demo runs them all. On AKS each
 * runs in its own workload, so each scales and restarts on its own.
 */
public enum Component {
    /** The topology (Kafka Streams), the insights API ({@code /api/v1/**}, {@code /dashboard/{tenant}}) and the live feed. */
    INSIGHTS("insights"),
    /** The delivery path (outbox, retries, dead letters), HTTP ingest ({@code /ingest/v1/**}) and the JDBC/Blob connectors. */
    INGEST("ingest"),
    /** The lake sink: events, metrics and alerts into the lake's Parquet datasets. */
    LAKE_SINK("lake-sink");

    private final String id;

    Component(String id) {
        this.id = id;
    }

    /** The name on the command line. */
    public String id() {
        return id;
    }

    /** Every component's name, comma-separated, in start order. */
    public static String validIds() {
        return Arrays.stream(values()).map(Component::id).collect(Collectors.joining(", "));
    }

    /**
     * Parses a comma-separated list such as {@code ingest,lake-sink} (spaces and repeats allowed).
     *
     * @throws IllegalArgumentException naming the unknown entry and the valid ones, or when the list names none
     */
    public static Set<Component> parseList(String list) {
        EnumSet<Component> selected = EnumSet.noneOf(Component.class);
        for (String entry : list.split(",", -1)) {
            String name = entry.trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty component name in '" + list + "'; valid components: " + validIds());
            }
            selected.add(Arrays.stream(values()).filter(c -> c.id.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown component '" + name + "'; valid components: " + validIds())));
        }
        return selected;
    }

    /** The names of {@code components}, comma-separated, in start order. */
    public static String ids(Set<Component> components) {
        return components.stream().sorted().map(Component::id).collect(Collectors.joining(","));
    }
}
