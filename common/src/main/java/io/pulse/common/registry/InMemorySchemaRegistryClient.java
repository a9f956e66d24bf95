package io.pulse.common.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A real schema registry held in memory, for stage tests (TopologyTestDriver) and tools: global ids,
 * subject versions and the same compatibility checks as the embedded registry (BACKWARD unless told
 * otherwise). Thread safe. Not a mock: it rejects what a registry would reject.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private final RegistryState state;

    /** A registry with Confluent's default level, BACKWARD. */
    public InMemorySchemaRegistryClient() {
        this(CompatibilityLevel.BACKWARD);
    }

    public InMemorySchemaRegistryClient(CompatibilityLevel compatibility) {
        this.state = new RegistryState(compatibility);
    }

    @Override
    public int register(String subject, Schema schema) {
        return state.register(subject, schema, registered -> { }).id();
    }

    @Override
    public Schema getById(int id) {
        return state.schemaById(id);
    }

    @Override
    public List<Integer> getVersions(String subject) {
        return state.versions(subject);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return state.version(subject, version);
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return state.latest(subject);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return state.problems(subject, schema).isEmpty();
    }

    /** Subjects with at least one version, sorted. */
    public List<String> subjects() {
        return state.subjects();
    }

    /** What would break if {@code schema} were registered under {@code subject}; empty when it could be. */
    public List<String> problems(String subject, Schema schema) {
        return state.problems(subject, schema);
    }
}
