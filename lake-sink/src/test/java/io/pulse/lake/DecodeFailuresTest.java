package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.registry.SchemaNotFoundException;
import io.pulse.common.registry.SchemaRegistryException;
import io.pulse.lake.mapping.LakeMappingException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class DecodeFailuresTest {
    @Test
    void unreachableOrFailingRegistryIsTransient() {
        assertThat(DecodeFailures.isTransient(new SerializationException("no schema",
                new SchemaRegistryException("connection refused", SchemaRegistryException.NO_RESPONSE)))).isTrue();
        assertThat(DecodeFailures.isTransient(new SerializationException("no schema",
                new SchemaRegistryException("backend store", 50001)))).isTrue();
        assertThat(DecodeFailures.isTransient(new SerializationException("no schema",
                new SchemaRegistryException("bad gateway", 502)))).isTrue();
    }

    @Test
    void badRecordsAreNot() {
        assertThat(DecodeFailures.isTransient(new SerializationException("unknown magic byte"))).isFalse();
        assertThat(DecodeFailures.isTransient(new SerializationException("no schema", new SchemaNotFoundException(7)))).isFalse();
        assertThat(DecodeFailures.isTransient(new LakeMappingException("tenant"))).isFalse();
    }
}
