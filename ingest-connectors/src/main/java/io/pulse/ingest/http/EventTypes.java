package io.pulse.ingest.http;

import io.pulse.avro.EventType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The names of Pulse's event types on the wire: the enum name in Pulse's own JSON ({@code PURCHASE}), and a
 * reverse-DNS type in CloudEvents and Event Grid ({@code com.pulse.purchase}).
 */
final class EventTypes {
    static final String PREFIX = "com.pulse.";

    private EventTypes() {
    }

    static Optional<EventType> fromPulse(String name) {
        return Arrays.stream(EventType.values()).filter(t -> t.name().equals(name)).findFirst();
    }

    static Optional<EventType> fromCloudEvents(String type) {
        return Arrays.stream(EventType.values()).filter(t -> cloudEventsType(t).equals(type)).findFirst();
    }

    /** {@code PAGE_VIEW} to {@code com.pulse.page-view}. */
    static String cloudEventsType(EventType type) {
        return PREFIX + type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String pulseNames() {
        return String.join(", ", Arrays.stream(EventType.values()).map(Enum::name).toList());
    }

    static String cloudEventsNames() {
        return String.join(", ", Arrays.stream(EventType.values()).map(EventTypes::cloudEventsType).toList());
    }
}
