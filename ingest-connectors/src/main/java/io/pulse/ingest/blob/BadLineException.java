package io.pulse.ingest.blob;

/**
 * A line of a dropped blob that cannot become a valid event: its class name is the {@code pulse.error.class} of the
 * line's dead letter, the rule a stable id ({@code line.json}, {@code field.type}, {@code money.currency-code}, ...).
 */
final class BadLineException extends Exception {
    /** Rule ids of problems with the line itself (the JSON reader and the envelope rules have their own). */
    static final String TOO_LONG = "line.too-long";
    static final String ENCODING = "line.encoding";
    static final String NOT_JSON = "line.json";
    static final String CSV = "line.csv";
    static final String CSV_HEADER = "csv.header";
    static final String CSV_COLUMN = "csv.column-not-applicable";

    private final String rule;
    private final String field;

    BadLineException(String rule, String field, String message) {
        super(message, null, false, false);
        this.rule = rule;
        this.field = field;
    }

    String rule() {
        return rule;
    }

    /** The offending field or column, or {@code (line)} when the line as a whole is wrong. */
    String field() {
        return field;
    }
}
