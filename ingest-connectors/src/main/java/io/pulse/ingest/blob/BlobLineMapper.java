package io.pulse.ingest.blob;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Envelope;
import io.pulse.avro.SourceKind;
import io.pulse.common.envelope.EnvelopeRules;
import io.pulse.common.topics.EventKeys;
import io.pulse.ingest.json.EventFieldException;
import io.pulse.ingest.json.JsonEventMapper;
import java.nio.charset.CharacterCodingException;
import java.time.Clock;
import java.util.Optional;

/**
 * Turns the lines of one blob version into valid envelopes, or says why a line cannot be one. Every line goes
 * through the same steps whatever the format: the line itself (length, UTF-8), its syntax (JSON, or CSV to JSON
 * by {@link CsvLayout}), Pulse's JSON event shape ({@link JsonEventMapper}), then {@link EnvelopeRules}.
 * An event without an id gets {@link BlobEventIds}' deterministic one; the source kind is always BLOB.
 * Not thread safe: one per blob being read.
 */
final class BlobLineMapper {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private final BlobDrop drop;
    private final String account;
    private final String container;
    private final String defaultSystem;
    private final int maxLineBytes;
    private final Clock clock;
    private CsvLayout csv;
    private BadLineException badHeader;

    BlobLineMapper(BlobDrop drop, String account, String container, String defaultSystem, int maxLineBytes, Clock clock) {
        this.drop = drop;
        this.account = account;
        this.container = container;
        this.defaultSystem = defaultSystem;
        this.maxLineBytes = maxLineBytes;
        this.clock = clock;
    }

    /** Whether line 1 is a header row rather than an event. */
    boolean hasHeader() {
        return drop.format() == BlobFormat.CSV;
    }

    /**
     * Reads the header row (line 1 of a CSV). A bad header is not an event and is not dead-lettered itself; every
     * data row is then refused with the header's problem, so none goes missing.
     *
     * @return the header's problem, if any
     */
    Optional<BadLineException> header(LineReader.Line line) {
        try {
            csv = CsvLayout.fromHeader(text(line));
            badHeader = null;
        } catch (BadLineException e) {
            csv = null;
            badHeader = new BadLineException(e.rule(), e.field(), "line 1 (the header row): " + e.getMessage());
        }
        return Optional.ofNullable(badHeader);
    }

    /**
     * @return the line's valid envelope (amounts at the schema's scale)
     * @throws BadLineException why the line is no valid event
     */
    Envelope map(LineReader.Line line) throws BadLineException {
        String text = text(line);
        JsonNode json = hasHeader() ? csvRow(text) : jsonLine(text);
        Envelope event;
        try {
            event = JsonEventMapper.map(json, new JsonEventMapper.Context(SourceKind.BLOB, defaultSystem, clock.instant(),
                    () -> BlobEventIds.of(account, container, drop.name(), drop.etag(), line.number())));
        } catch (EventFieldException e) {
            throw new BadLineException(e.rule(), field(e.field()), inTermsOfFormat(e.field(), e.getMessage()));
        }
        Optional<EnvelopeRules.Violation> violation = EnvelopeRules.firstViolation(EventKeys.of(event), event);
        if (violation.isPresent()) {
            EnvelopeRules.Violation v = violation.get();
            String field = JsonEventMapper.jsonField(v.field());
            throw new BadLineException(v.rule().id(), field(field), inTermsOfFormat(field, v.message()));
        }
        JsonEventMapper.scaleAmounts(event);
        return event;
    }

    private JsonNode jsonLine(String text) throws BadLineException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadLineException(BadLineException.NOT_JSON, "(line)", "not a JSON object: " + e.getOriginalMessage());
        }
    }

    private JsonNode csvRow(String text) throws BadLineException {
        if (badHeader != null) {
            throw badHeader;
        }
        if (csv == null) {
            throw new IllegalStateException("the header of a CSV blob must be read before its rows");
        }
        return csv.toJson(text);
    }

    private String text(LineReader.Line line) throws BadLineException {
        if (line.cut()) {
            throw new BadLineException(BadLineException.TOO_LONG, "(line)", "the line is " + line.length()
                    + " bytes long, more than the limit of " + maxLineBytes + " (the dead letter holds its start)");
        }
        try {
            return line.text();
        } catch (CharacterCodingException e) {
            throw new BadLineException(BadLineException.ENCODING, "(line)", "the line is not valid UTF-8");
        }
    }

    /** The field as the format names it: a CSV column, or the JSON path. */
    private String field(String jsonField) {
        return hasHeader() ? CsvLayout.columnOf(jsonField) : jsonField;
    }

    private String inTermsOfFormat(String jsonField, String message) {
        if (!hasHeader()) {
            return message;
        }
        String column = CsvLayout.columnOf(jsonField);
        return column.equals(jsonField) ? message : "column " + column + ": " + message;
    }
}
