package io.pulse.common.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Remembers what never changes in a registry: the schema of an id, and the id of a schema registered
 * under a subject. Everything else (versions, latest, compatibility) goes to the delegate every time.
 * Thread safe; two threads missing at once may both ask the delegate, which answers both the same.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    private final SchemaRegistryClient delegate;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = delegate.register(subject, schema);
        remember(subject, id, schema);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = delegate.getById(id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public List<Integer> getVersions(String subject) {
        return delegate.getVersions(subject);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return remember(delegate.getVersion(subject, version));
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return remember(delegate.getLatest(subject));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }

    private RegisteredSchema remember(RegisteredSchema registered) {
        remember(registered.subject(), registered.id(), registered.schema());
        return registered;
    }

    private void remember(String subject, int id, Schema schema) {
        schemasById.putIfAbsent(id, schema);
        idsBySubjectSchema.putIfAbsent(new SubjectSchema(subject, schema), id);
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
