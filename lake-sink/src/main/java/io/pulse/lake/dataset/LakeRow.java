package io.pulse.lake.dataset;

import io.pulse.lake.store.LakeDirectory;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * One row for the lake: its Avro value (whose schema is its Parquet file's schema) and the directory it goes to.
 * Values may hold logical types converted (a generated class's BigDecimal, Instant) or raw (a generic record's
 * ByteBuffer, long).
 */
public record LakeRow(LakeDirectory directory, IndexedRecord value) {
    public LakeRow {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(value, "value");
    }

    public Schema schema() {
        return value.getSchema();
    }

    /**
     * The row in another schema, field by field by name: fields the target lacks are dropped, fields the row
     * lacks take their default (null for the nullable columns this sink adds).
     *
     * @throws IllegalArgumentException naming the field if the row lacks a field that has no default
     */
    public LakeRow projectedOnto(Schema target) {
        GenericData.Record projected = new GenericData.Record(target);
        for (Schema.Field field : target.getFields()) {
            Schema.Field source = schema().getField(field.name());
            if (source != null) {
                projected.put(field.pos(), value.get(source.pos()));
            } else if (field.hasDefaultValue()) {
                projected.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else {
                throw new IllegalArgumentException("cannot write a " + schema().getFullName() + " row into a file of another schema:"
                        + " the file's column '" + field.name() + "' has no default and the row has no such field");
            }
        }
        return new LakeRow(directory, projected);
    }
}
