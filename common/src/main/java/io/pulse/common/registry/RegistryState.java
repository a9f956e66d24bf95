package io.pulse.common.registry;

import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.avro.Schema;

/**
 * The state of a schema registry: subjects and their versions, global schema ids (one id per distinct
 * schema, whatever the subject, as Confluent does) and the global compatibility level.
 *
 * <p>Shared by {@link InMemorySchemaRegistryClient} and the embedded registry server, which persists
 * each change before it is applied (see {@link #register(String, Schema, Consumer)}) and rebuilds the
 * state on start with {@link #apply(RegisteredSchema)}. Thread safe: every method holds this object's lock,
 * so registrations are serialised and ids are never handed out twice.
 */
public final class RegistryState {
    private final Map<String, NavigableMap<Integer, RegisteredSchema>> subjects = new TreeMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private CompatibilityLevel compatibility;
    private int maxId;

    public RegistryState(CompatibilityLevel compatibility) {
        this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
    }

    /**
     * Registers {@code schema} under {@code subject}, or returns the version already there. A new version is
     * checked against the compatibility level, handed to {@code persist} (which must make it durable or
     * throw, leaving this state unchanged) and then applied.
     *
     * @throws IncompatibleSchemaException naming the subject and what broke
     */
    public synchronized RegisteredSchema register(String subject, Schema schema, Consumer<RegisteredSchema> persist) {
        Optional<RegisteredSchema> existing = lookup(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<String> problems = AvroCompatibility.problems(compatibility, schema, versionsOf(subject));
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException(subject, compatibility + " check failed: " + String.join("; ", problems));
        }
        NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        int id = idsBySchema.getOrDefault(schema, maxId + 1);
        RegisteredSchema registered = new RegisteredSchema(subject, version, id, schema);
        persist.accept(registered);
        apply(registered);
        return registered;
    }

    /** Adds a version as it was registered earlier (replay from storage); a repeated subject/version replaces the earlier one. */
    public synchronized void apply(RegisteredSchema registered) {
        subjects.computeIfAbsent(registered.subject(), s -> new TreeMap<>()).put(registered.version(), registered);
        schemasById.put(registered.id(), registered.schema());
        idsBySchema.putIfAbsent(registered.schema(), registered.id());
        maxId = Math.max(maxId, registered.id());
    }

    /** The version under which exactly this schema is registered in the subject, if any. */
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        if (versions == null) {
            return Optional.empty();
        }
        return versions.values().stream().filter(v -> v.schema().equals(schema)).findFirst();
    }

    /** @throws SchemaNotFoundException naming the id */
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException(id);
        }
        return schema;
    }

    /** Subjects with at least one version, sorted. */
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    /** @throws SubjectNotFoundException naming the subject */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(existingVersions(subject).keySet());
    }

    /** @throws SubjectNotFoundException or {@link VersionNotFoundException} */
    public synchronized RegisteredSchema version(String subject, int version) {
        RegisteredSchema registered = existingVersions(subject).get(version);
        if (registered == null) {
            throw new VersionNotFoundException(subject, version);
        }
        return registered;
    }

    /** @throws SubjectNotFoundException naming the subject */
    public synchronized RegisteredSchema latest(String subject) {
        return existingVersions(subject).lastEntry().getValue();
    }

    /** What would break if {@code schema} were registered under {@code subject} now; empty when it could be. */
    public synchronized List<String> problems(String subject, Schema schema) {
        if (lookup(subject, schema).isPresent()) {
            return List.of();
        }
        return AvroCompatibility.problems(compatibility, schema, versionsOf(subject));
    }

    /**
     * What would break if {@code schema} were read/written alongside one version of the subject, in the
     * direction(s) of the compatibility level (transitivity does not apply to a single version).
     *
     * @throws SubjectNotFoundException or {@link VersionNotFoundException}
     */
    public synchronized List<String> problemsAgainst(String subject, Schema schema, int version) {
        return AvroCompatibility.problems(compatibility, schema, List.of(version(subject, version)));
    }

    public synchronized CompatibilityLevel compatibility() {
        return compatibility;
    }

    /** Changes the global level after {@code persist} has made the change durable (or thrown). */
    public synchronized void setCompatibility(CompatibilityLevel level, Consumer<CompatibilityLevel> persist) {
        Objects.requireNonNull(level, "level");
        persist.accept(level);
        compatibility = level;
    }

    private List<RegisteredSchema> versionsOf(String subject) {
        NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        return versions == null ? List.of() : new ArrayList<>(versions.values());
    }

    private NavigableMap<Integer, RegisteredSchema> existingVersions(String subject) {
        NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SubjectNotFoundException(subject);
        }
        return versions;
    }
}
