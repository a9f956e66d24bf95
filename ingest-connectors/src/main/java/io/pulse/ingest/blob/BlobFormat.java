package io.pulse.ingest.blob;

import java.util.Locale;

/** How a dropped blob's content is laid out; chosen by the blob name's extension ({@link BlobDropConfig#formats()}). */
public enum BlobFormat {
    /** One JSON object per line, in the shape HTTP ingest accepts ({@link io.pulse.ingest.json.JsonEventMapper}). */
    JSON_LINES("json-lines"),
    /** A header row naming the columns, then one event per row ({@link CsvLineMapper}). */
    CSV("csv");

    private final String id;

    BlobFormat(String id) {
        this.id = id;
    }

    /** The name used in configuration: {@code json-lines} or {@code csv}. */
    public String id() {
        return id;
    }

    public static BlobFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (BlobFormat f : values()) {
            if (f.id.equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + text + "', expected json-lines or csv");
    }
}
