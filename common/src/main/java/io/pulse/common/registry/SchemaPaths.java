package io.pulse.common.registry;

import org.apache.avro.Schema;

/**
 * Turns the location of a {@link org.apache.avro.SchemaCompatibility.Incompatibility} (a JSON-pointer
 * like {@code /fields/4/type}) into field names a person recognises ({@code field 'event_time'}).
 */
final class SchemaPaths {

    private SchemaPaths() {
    }

    /** The dotted field path the location points into, followed by the raw location; the raw location if it cannot be followed. */
    static String describe(Schema root, String location) {
        if (location == null || location.isEmpty() || "/".equals(location)) {
            return "the top level (" + root.getFullName() + ")";
        }
        StringBuilder fields = new StringBuilder();
        Schema current = root;
        String[] segments = location.substring(1).split("/");
        for (int i = 0; i < segments.length && current != null; i++) {
            String segment = segments[i];
            if ("fields".equals(segment) && i + 1 < segments.length && current.getType() == Schema.Type.RECORD) {
                int index = parseIndex(segments[++i]);
                if (index < 0 || index >= current.getFields().size()) {
                    return location;
                }
                Schema.Field field = current.getFields().get(index);
                fields.append(fields.length() == 0 ? "" : ".").append(field.name());
                current = field.schema();
            } else if ("items".equals(segment) && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
            } else if ("values".equals(segment) && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
            } else if (current.getType() == Schema.Type.UNION && parseIndex(segment) >= 0
                    && parseIndex(segment) < current.getTypes().size()) {
                current = current.getTypes().get(parseIndex(segment));
            } else if (!"type".equals(segment)) {
                current = null;
            }
        }
        return fields.length() == 0 ? location : "field '" + fields + "' [" + location + "]";
    }

    private static int parseIndex(String segment) {
        boolean digits = !segment.isEmpty() && segment.length() < 10 && segment.chars().allMatch(Character::isDigit);
        return digits ? Integer.parseInt(segment) : -1;
    }
}
