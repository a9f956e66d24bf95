package io.pulse.common.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroCompatibilityTest {
    private static final RegisteredSchema V1 = new RegisteredSchema("customers-value", 1, 1, Schemas.customerV1());

    @Test
    void addingADefaultedFieldIsBackwardCompatible() {
        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, Schemas.customerV2(), List.of(V1))).isEmpty();
    }

    @Test
    void addingAFieldWithoutDefaultIsNotBackwardCompatibleAndTheMessageNamesTheField() {
        List<String> problems = AvroCompatibility.problems(CompatibilityLevel.BACKWARD, Schemas.customerWithRequiredField(), List.of(V1));

        assertThat(problems).singleElement().asString()
                .contains("version 1")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("birth_year");
    }

    @Test
    void changingATypeIsNotBackwardCompatibleAndTheMessageNamesFieldAndTypes() {
        List<String> problems = AvroCompatibility.problems(CompatibilityLevel.BACKWARD, Schemas.customerWithNumericName(), List.of(V1));

        assertThat(problems).singleElement().asString()
                .contains("TYPE_MISMATCH")
                .contains("field 'name'")
                .contains("LONG")
                .contains("STRING");
    }

    @Test
    void namesNestedFieldsByTheirPath() {
        Schema v1 = Schemas.parse("{'type':'record','name':'Order','fields':[{'name':'total','type':"
                + "{'type':'record','name':'Money','fields':[{'name':'amount','type':'string'}]}}]}");
        Schema v2 = Schemas.parse("{'type':'record','name':'Order','fields':[{'name':'total','type':"
                + "{'type':'record','name':'Money','fields':[{'name':'amount','type':'int'}]}}]}");

        List<String> problems = AvroCompatibility.problems(CompatibilityLevel.BACKWARD, v2,
                List.of(new RegisteredSchema("orders-value", 1, 7, v1)));

        assertThat(problems).singleElement().asString().contains("field 'total.amount'");
    }

    @Test
    void forwardChecksThatOldReadersCanReadNewData() {
        // Removing a field that old readers need (no default) breaks them, although new readers are fine.
        Schema withoutName = Schemas.parse("{'type':'record','name':'Customer','namespace':'test','fields':["
                + "{'name':'id','type':'string'}]}");

        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, withoutName, List.of(V1))).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FORWARD, withoutName, List.of(V1)))
                .singleElement().asString().contains("version 1 cannot read").contains("name");
        assertThat(AvroCompatibility.problems(CompatibilityLevel.FULL, withoutName, List.of(V1))).hasSize(1);
    }

    @Test
    void nonTransitiveLevelsCompareWithTheLatestVersionOnly() {
        RegisteredSchema v2WithoutName = new RegisteredSchema("customers-value", 2, 2, Schemas.parse(
                "{'type':'record','name':'Customer','namespace':'test','fields':[{'name':'id','type':'string'}]}"));
        Schema nameBackAsNumber = Schemas.parse("{'type':'record','name':'Customer','namespace':'test','fields':["
                + "{'name':'id','type':'string'},{'name':'name','type':'long','default':0}]}");
        List<RegisteredSchema> history = List.of(V1, v2WithoutName);

        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, nameBackAsNumber, history)).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD_TRANSITIVE, nameBackAsNumber, history))
                .singleElement().asString().contains("version 1").contains("TYPE_MISMATCH");
    }

    @Test
    void anythingGoesWithoutHistoryOrWithLevelNone() {
        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, Schemas.customerWithNumericName(), List.of())).isEmpty();
        assertThat(AvroCompatibility.problems(CompatibilityLevel.NONE, Schemas.customerWithNumericName(), List.of(V1))).isEmpty();
    }
}
