package io.pulse.common.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Confluent's compatibility levels. BACKWARD (the default) means consumers on the new schema can read
 * data written with the latest registered one; the transitive levels check against every version.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** Whether a reader on the new schema must read data written with earlier ones. */
    public boolean newReadsOld() {
        return newReadsOld;
    }

    /** Whether readers on earlier schemas must read data written with the new one. */
    public boolean oldReadsNew() {
        return oldReadsNew;
    }

    /** Whether every earlier version is checked, not only the latest. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Parses a level as Confluent spells it (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static CompatibilityLevel parse(String value) {
        if (value != null) {
            for (CompatibilityLevel level : values()) {
                if (level.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                    return level;
                }
            }
        }
        throw new IllegalArgumentException("Invalid compatibility level '" + value + "', expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
