package io.pulse.common.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that Pulse uses. Implementations: a REST client
 * for an external (or the embedded) registry, a caching decorator, and an in-memory registry for
 * stage tests.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (or finds it already there); returns its global id.
     *
     * @throws IncompatibleSchemaException naming the subject and what broke; {@link InvalidSchemaException}
     */
    int register(String subject, Schema schema);

    /** The schema with this global id. @throws SchemaNotFoundException naming the id */
    Schema getById(int id);

    /** Versions registered under a subject, oldest first. @throws SubjectNotFoundException naming the subject */
    List<Integer> getVersions(String subject);

    /** One version of a subject. @throws SubjectNotFoundException or {@link VersionNotFoundException}, naming subject and version */
    RegisteredSchema getVersion(String subject, int version);

    /** The latest version of a subject. @throws SubjectNotFoundException naming the subject */
    RegisteredSchema getLatest(String subject);

    /** Whether {@code schema} could be registered under {@code subject} given its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** A schema version registered under a subject. */
    record RegisteredSchema(String subject, int version, int id, Schema schema) {
    }
}
