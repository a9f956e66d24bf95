package io.pulse.lake.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Envelope;
import io.pulse.avro.lake.LakeEventRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class EnvelopeExtrasTest {
    private final EnvelopeExtras extras = new EnvelopeExtras();

    @Test
    void theEnvelopeThisBuildKnowsNeedsNoExtension() {
        assertThat(extras.forWriterSchema(Envelope.getClassSchema())).isEmpty();
    }

    @Test
    void unknownFieldsBecomeNullableColumnsAfterTheLakeRowsRenamedWhenTheyClash() {
        List<Schema.Field> fields = new ArrayList<>();
        Envelope.getClassSchema().getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("loyalty_tier", Schema.create(Schema.Type.STRING), null, "none"));
        fields.add(new Schema.Field("hour", Schema.create(Schema.Type.INT), null, 0));
        Schema v2 = Schema.createRecord("Envelope", null, "io.pulse.avro", false, fields);

        EnvelopeExtras.Extension extension = extras.forWriterSchema(v2).orElseThrow();

        List<Schema.Field> columns = extension.rowSchema().getFields();
        int known = LakeEventRow.getClassSchema().getFields().size();
        assertThat(columns.subList(0, known)).extracting(Schema.Field::name)
                .containsExactlyElementsOf(LakeEventRow.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
        assertThat(columns.subList(known, columns.size())).extracting(Schema.Field::name).containsExactly("loyalty_tier", "envelope_hour");
        assertThat(columns.get(known).schema().getTypes()).extracting(Schema::getType).containsExactly(Schema.Type.NULL, Schema.Type.STRING);
        assertThat(extension.extraFields()).containsExactly("loyalty_tier", "hour");
        assertThat(extras.forWriterSchema(v2)).as("computed once per writer schema").containsSame(extension);
    }

    @Test
    void aNullableUnionKeepsItsBranchesWithNullFirst() {
        Schema union = Schema.createUnion(Schema.create(Schema.Type.STRING), Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.LONG));
        assertThat(EnvelopeExtras.nullable(union).getTypes()).extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.STRING, Schema.Type.LONG);
    }
}
