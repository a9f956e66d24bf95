package io.pulse.ingest.delivery;

import java.util.regex.Pattern;

/**
 * Where accepted events come from: a kind of source and the instance's name, e.g. {@code http/webshop}
 * or {@code jdbc/pos-db}. Events of one source reach Kafka in the order they were accepted; it also
 * rides on every event as the {@code pulse.source} header of retries and dead letters.
 */
public record SourceId(String kind, String name) {
    private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public SourceId {
        if (!PART.matcher(kind).matches() || !PART.matcher(name).matches()) {
            throw new IllegalArgumentException("a source id has a kind and a name of lower-case letters, digits, '.', '_' and '-', got '"
                    + kind + "/" + name + "'");
        }
    }

    public String value() {
        return kind + "/" + name;
    }

    @Override
    public String toString() {
        return value();
    }
}
