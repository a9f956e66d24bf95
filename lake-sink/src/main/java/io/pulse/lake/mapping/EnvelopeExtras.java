package io.pulse.lake.mapping;

import io.pulse.avro.Envelope;
import io.pulse.avro.lake.LakeEventRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * Envelope fields this build does not know, carried into the lake. A newer envelope version (registered with
 * an added field that has a default) reaches this sink before its classes do; its extra top-level fields
 * become additional nullable columns after {@link LakeEventRow}'s, with the values of the record read in its
 * writer's schema. A query with schema union ({@code union_by_name}) then sees the new columns, null on rows
 * from older files.
 *
 * <p>An extra field named like a column the lake already has (or a partition column, {@code date} and
 * {@code hour}) becomes {@code envelope_<name>}. Thread safe; one extension per writer schema, computed once.
 */
public final class EnvelopeExtras {
    static final String CLASH_PREFIX = "envelope_";
    private static final Set<String> KNOWN_ENVELOPE_FIELDS = fieldNames(Envelope.getClassSchema());
    private static final Set<String> RESERVED_COLUMNS = reservedColumns();

    private final Map<Schema, Optional<Extension>> byWriterSchema = new ConcurrentHashMap<>();

    /** The extension a writer schema calls for, or empty when it has no field this build does not know. */
    public Optional<Extension> forWriterSchema(Schema writerSchema) {
        return byWriterSchema.computeIfAbsent(writerSchema, EnvelopeExtras::extensionOf);
    }

    private static Optional<Extension> extensionOf(Schema writerSchema) {
        List<Schema.Field> extras = writerSchema.getFields().stream().filter(f -> !KNOWN_ENVELOPE_FIELDS.contains(f.name())).toList();
        if (extras.isEmpty()) {
            return Optional.empty();
        }
        Schema base = LakeEventRow.getClassSchema();
        List<Schema.Field> columns = new ArrayList<>();
        base.getFields().forEach(f -> columns.add(new Schema.Field(f, f.schema())));
        List<String> sources = new ArrayList<>();
        for (Schema.Field extra : extras) {
            String column = RESERVED_COLUMNS.contains(extra.name()) ? CLASH_PREFIX + extra.name() : extra.name();
            columns.add(new Schema.Field(column, nullable(extra.schema()), extra.doc(), JsonProperties.NULL_VALUE));
            sources.add(extra.name());
        }
        Schema row = Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, columns);
        return Optional.of(new Extension(row, base.getFields().size(), sources));
    }

    /** The type as a union with null first (so that null is a valid default). */
    static Schema nullable(Schema type) {
        List<Schema> branches = new ArrayList<>();
        branches.add(Schema.create(Schema.Type.NULL));
        if (type.getType() == Schema.Type.UNION) {
            type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).forEach(branches::add);
        } else {
            branches.add(type);
        }
        return Schema.createUnion(branches);
    }

    private static Set<String> fieldNames(Schema schema) {
        Set<String> names = new HashSet<>();
        schema.getFields().forEach(f -> names.add(f.name()));
        return Set.copyOf(names);
    }

    private static Set<String> reservedColumns() {
        Set<String> names = new HashSet<>(fieldNames(LakeEventRow.getClassSchema()));
        names.add("date");
        names.add("hour");
        return Set.copyOf(names);
    }

    /**
     * The lake row schema of one writer schema with extras, and how to fill it.
     *
     * @param rowSchema    {@link LakeEventRow}'s columns, then one nullable column per extra field
     * @param knownColumns how many leading columns are {@link LakeEventRow}'s
     * @param extraFields  the envelope field each further column is taken from, in column order
     */
    public record Extension(Schema rowSchema, int knownColumns, List<String> extraFields) {
        public Extension {
            extraFields = List.copyOf(extraFields);
        }

        /** The row with the extra fields' values taken from {@code envelope}, the record read in its writer's schema. */
        public IndexedRecord extend(LakeEventRow row, GenericRecord envelope) {
            GenericData.Record extended = new GenericData.Record(rowSchema);
            for (int i = 0; i < knownColumns; i++) {
                extended.put(i, row.get(i));
            }
            for (int i = 0; i < extraFields.size(); i++) {
                extended.put(knownColumns + i, envelope.get(extraFields.get(i)));
            }
            return extended;
        }
    }
}
