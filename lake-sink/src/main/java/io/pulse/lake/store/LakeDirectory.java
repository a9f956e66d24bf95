package io.pulse.lake.store;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One directory of a lake dataset, such as {@code events/tenant=contoso/date=2024-05-01/hour=13}: the
 * dataset's name followed by Hive-style {@code key=value} partition segments.
 *
 * <p>Segments are checked here, once, so that no value taken from an event can climb out of the lake
 * ({@code ..}) or add a level ({@code /}).
 */
public record LakeDirectory(String dataset, List<String> partitionSegments) {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_]+=[A-Za-z0-9][A-Za-z0-9._-]*");

    public LakeDirectory {
        Objects.requireNonNull(dataset, "dataset");
        if (!SAFE_NAME.matcher(dataset).matches()) {
            throw new IllegalArgumentException("dataset name must be letters, digits, '.', '_' or '-', got '" + dataset + "'");
        }
        partitionSegments = List.copyOf(partitionSegments);
        for (String segment : partitionSegments) {
            if (!SAFE_SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("partition segment must look like key=value with letters, digits, '.', '_' or '-', got '"
                        + segment + "' in dataset " + dataset);
            }
        }
    }

    /** The directory relative to the lake's root, '/'-separated. */
    public String relativePath() {
        return partitionSegments.isEmpty() ? dataset : dataset + "/" + String.join("/", partitionSegments);
    }

    @Override
    public String toString() {
        return relativePath();
    }
}
