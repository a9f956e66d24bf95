package io.pulse.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTest {
    private static final String SUBJECT = "customers-value";

    private final CountingClient backend = new CountingClient(new InMemorySchemaRegistryClient());
    private final CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(backend);

    @Test
    void registersEachSubjectAndSchemaOnce() {
        int id = cache.register(SUBJECT, Schemas.customerV1());

        assertThat(cache.register(SUBJECT, Schemas.customerV1())).isEqualTo(id);
        assertThat(backend.registers).hasValue(1);
        cache.register("other-value", Schemas.customerV1());
        assertThat(backend.registers).as("another subject is another registration").hasValue(2);
    }

    @Test
    void servesSchemasByIdFromWhatItHasSeen() {
        int id = cache.register(SUBJECT, Schemas.customerV1());

        assertThat(cache.getById(id)).isEqualTo(Schemas.customerV1());
        assertThat(backend.byIds).as("known from the registration").hasValue(0);
    }

    @Test
    void asksForAnUnseenIdOnce() {
        int id = backend.register(SUBJECT, Schemas.customerV1());

        cache.getById(id);
        cache.getById(id);

        assertThat(backend.byIds).hasValue(1);
    }

    @Test
    void doesNotRememberFailures() {
        assertThatThrownBy(() -> cache.getById(1)).isInstanceOf(SchemaNotFoundException.class);
        backend.register(SUBJECT, Schemas.customerV1());

        assertThat(cache.getById(1)).isEqualTo(Schemas.customerV1());
        assertThat(backend.byIds).hasValue(2);
    }

    @Test
    void alwaysAsksForTheLatestVersionBecauseItChanges() {
        cache.register(SUBJECT, Schemas.customerV1());
        assertThat(cache.getLatest(SUBJECT).version()).isEqualTo(1);

        backend.register(SUBJECT, Schemas.customerV2());

        assertThat(cache.getLatest(SUBJECT).version()).isEqualTo(2);
        assertThat(cache.getVersions(SUBJECT)).containsExactly(1, 2);
        assertThat(cache.isCompatible(SUBJECT, Schemas.customerWithRequiredField())).isFalse();
    }

    /** Counts the calls that reach the registry behind the cache. */
    private static final class CountingClient implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        final AtomicInteger registers = new AtomicInteger();
        final AtomicInteger byIds = new AtomicInteger();

        CountingClient(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registers.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            byIds.incrementAndGet();
            return delegate.getById(id);
        }

        @Override
        public List<Integer> getVersions(String subject) {
            return delegate.getVersions(subject);
        }

        @Override
        public RegisteredSchema getVersion(String subject, int version) {
            return delegate.getVersion(subject, version);
        }

        @Override
        public RegisteredSchema getLatest(String subject) {
            return delegate.getLatest(subject);
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return delegate.isCompatible(subject, schema);
        }
    }
}
