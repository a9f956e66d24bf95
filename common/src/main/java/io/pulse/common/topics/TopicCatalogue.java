package io.pulse.common.topics;

import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.Topic.Cleanup;
import java.time.Duration;
import java.util.List;

/**
 * Every topic Pulse owns, declared once. Topics are created from this list (locally with the admin
 * client, on Azure from Bicep generated from it) and documentation is generated from it.
 *
 * <p>Names carry a version suffix: an incompatible change gets a new topic, never a rewrite.
 */
public final class TopicCatalogue {
    /** Partitions of the busy topics; Event Hubs Standard allows 32 per event hub. */
    public static final int DEFAULT_PARTITIONS = 4;

    /** Raw engagement events, keyed by tenant ({@link EventKeys}): a retailer's events stay in one partition, in arrival order. */
    public static final Topic<String, Envelope> EVENTS = new Topic<>(
            "pulse.events.v1", String.class, Envelope.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(7),
            "Every accepted engagement event in the standard envelope.");

    /** Windowed metrics, provisional updates and final values (marked), keyed by {@code tenant/window-size/window-start}. */
    public static final Topic<String, WindowedMetrics> METRICS = new Topic<>(
            "pulse.metrics.v1", String.class, WindowedMetrics.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(7),
            "Per-tenant windowed metrics; each record says whether its window is final.");

    /** Records that could not be read or processed, with the reason in headers. */
    public static final Topic<byte[], byte[]> DEAD_LETTERS = new Topic<>(
            "pulse.dead-letters.v1", byte[].class, byte[].class, 1, Cleanup.DELETE, Duration.ofDays(14),
            "Records that failed deserialization, processing or production; headers say why and where from.");

    /** The embedded schema registry's storage (like Confluent's {@code _schemas}). */
    public static final Topic<String, String> SCHEMAS = new Topic<>(
            "_pulse-schemas", String.class, String.class, 1, Cleanup.COMPACT, Duration.ZERO,
            "Schemas of the embedded schema registry, one record per subject version.");

    private TopicCatalogue() {
    }

    /** All of them, in creation order. */
    public static List<Topic<?, ?>> all() {
        return List.of(SCHEMAS, EVENTS, METRICS, DEAD_LETTERS);
    }
}
