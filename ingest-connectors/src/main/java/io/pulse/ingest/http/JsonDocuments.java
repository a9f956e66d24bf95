package io.pulse.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Parses a request body into a JSON tree, strictly: duplicate keys and trailing content are errors. A body
 * that is not JSON is refused with 400 naming the line, column and JSON path where parsing stopped.
 */
final class JsonDocuments {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonDocuments() {
    }

    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw IngestHttpException.badRequest("the request body is empty");
        }
        try {
            JsonNode document = JSON.readTree(body);
            if (document == null || document.isMissingNode()) {
                throw IngestHttpException.badRequest("the request body holds no JSON value");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw IngestHttpException.badRequest("malformed JSON" + where(e) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            // Reading a byte array does no I/O; a character-decoding failure lands here.
            throw IngestHttpException.badRequest("the body cannot be read as JSON text: " + e.getMessage());
        }
    }

    private static String where(JsonProcessingException e) {
        StringBuilder at = new StringBuilder();
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            at.append(" at line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr());
        }
        if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
            at.append(" (").append(jsonPath(parser.getParsingContext().pathAsPointer())).append(')');
        }
        return at.toString();
    }

    /** {@code /0/payload/lineItems/1} to {@code $[0].payload.lineItems[1]}. */
    static String jsonPath(JsonPointer pointer) {
        StringBuilder path = new StringBuilder("$");
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.getMatchingIndex() >= 0) {
                path.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                path.append('.').append(p.getMatchingProperty());
            }
        }
        return path.toString();
    }
}
