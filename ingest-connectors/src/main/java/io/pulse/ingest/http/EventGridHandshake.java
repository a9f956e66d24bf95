package io.pulse.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Event Grid's subscription validation: before delivering, Event Grid posts one
 * {@code Microsoft.EventGrid.SubscriptionValidationEvent} (header {@code aeg-event-type: SubscriptionValidation});
 * the endpoint proves it wants the events by answering {@code {"validationResponse": <validationCode>}}.
 */
final class EventGridHandshake {
    static final String VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent";
    static final String EVENT_TYPE_HEADER = "aeg-event-type";
    static final String VALIDATION_HEADER_VALUE = "SubscriptionValidation";

    private EventGridHandshake() {
    }

    /**
     * The validation code when {@code document} is a validation request, empty when it carries events; a
     * validation request of the wrong shape is refused with 400.
     */
    static Optional<String> validationCode(JsonNode document, String eventTypeHeader) {
        boolean announced = VALIDATION_HEADER_VALUE.equalsIgnoreCase(eventTypeHeader);
        int at = indexOfValidationEvent(document);
        if (at < 0) {
            if (announced) {
                throw IngestHttpException.badRequest("'" + EVENT_TYPE_HEADER + ": " + VALIDATION_HEADER_VALUE
                        + "' announces a validation request, but the body holds no " + VALIDATION_EVENT);
            }
            return Optional.empty();
        }
        if (document.size() != 1) {
            throw IngestHttpException.badRequest("a " + VALIDATION_EVENT + " must come alone, got it at $[" + at + "] of "
                    + document.size() + " events");
        }
        JsonNode code = document.get(0).path("data").get("validationCode");
        if (code == null || !code.isTextual() || code.textValue().isEmpty()) {
            throw IngestHttpException.badRequest("$[0].data.validationCode of a " + VALIDATION_EVENT + " must be a non-empty string, got "
                    + JsonFields.describe(code));
        }
        return Optional.of(code.textValue());
    }

    private static int indexOfValidationEvent(JsonNode document) {
        if (!document.isArray()) {
            return -1;
        }
        for (int i = 0; i < document.size(); i++) {
            if (VALIDATION_EVENT.equals(document.get(i).path("eventType").asText(null))) {
                return i;
            }
        }
        return -1;
    }
}
