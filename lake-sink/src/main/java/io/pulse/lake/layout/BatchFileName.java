package io.pulse.lake.layout;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic name of every file one batch of one Kafka partition writes:
 * {@code <topic>+<partition>+<firstOffset>+<lastOffset>.parquet}. The batch writes one such file in
 * each directory it touches; the same offsets always give the same names, which is what makes a
 * replayed commit find its own earlier work.
 *
 * <p>Kafka topic names cannot contain {@code '+'}, so the name parses back unambiguously.
 */
public record BatchFileName(String topic, int partition, long firstOffset, long lastOffset) {
    public static final String EXTENSION = ".parquet";
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9._-]+)\\+(\\d+)\\+(\\d+)\\+(\\d+)\\.parquet");

    public BatchFileName {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0 || firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("not a batch: partition " + partition + ", offsets " + firstOffset + ".." + lastOffset);
        }
    }

    /** The owner tag of this partition's temporary files in the lake store. */
    public static String ownerTag(String topic, int partition) {
        return topic + "+" + partition;
    }

    /** The batch a committed file name describes, or empty for a name this layout did not write. */
    public static Optional<BatchFileName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            long first = Long.parseLong(m.group(3));
            long last = Long.parseLong(m.group(4));
            if (last < first) {
                return Optional.empty();
            }
            return Optional.of(new BatchFileName(m.group(1), Integer.parseInt(m.group(2)), first, last));
        } catch (NumberFormatException e) {
            return Optional.empty(); // digits beyond long/int range: not a name we wrote
        }
    }

    public String fileName() {
        return topic + "+" + partition + "+" + firstOffset + "+" + lastOffset + EXTENSION;
    }

    @Override
    public String toString() {
        return fileName();
    }
}
