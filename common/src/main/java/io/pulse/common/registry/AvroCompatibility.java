package io.pulse.common.registry;

import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks a candidate schema against a subject's registered versions under a {@link CompatibilityLevel},
 * with Avro's own {@link SchemaCompatibility}. Shared by the in-memory and the embedded registry so
 * that both reject exactly what Confluent's registry rejects.
 */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * What would break if {@code candidate} were registered after {@code existing}.
     *
     * @param existing the subject's versions, oldest first (may be empty)
     * @return one line per problem, naming the version compared against, the kind of problem and the
     *         field or type concerned; empty when compatible
     */
    public static List<String> problems(CompatibilityLevel level, Schema candidate, List<RegisteredSchema> existing) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
            return problems;
        }
        List<RegisteredSchema> against = level.transitive() ? existing : List.of(existing.get(existing.size() - 1));
        for (RegisteredSchema previous : against) {
            if (level.newReadsOld()) {
                describe(problems, "new schema cannot read data written with version " + previous.version(),
                        candidate, previous.schema());
            }
            if (level.oldReadsNew()) {
                describe(problems, "version " + previous.version() + " cannot read data written with the new schema",
                        previous.schema(), candidate);
            }
        }
        return problems;
    }

    /** Whether a reader with schema {@code reader} can read everything written with {@code writer}. */
    public static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }

    private static void describe(List<String> problems, String context, Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            problems.add(context + ": " + incompatibility.getType() + " at "
                    + SchemaPaths.describe(reader, incompatibility.getLocation()) + " (" + incompatibility.getMessage() + ")");
        }
    }
}
