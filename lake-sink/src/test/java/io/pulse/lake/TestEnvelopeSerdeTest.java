package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Envelope;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class TestEnvelopeSerdeTest {
    @Test
    void roundTripsEveryPayloadBranch() {
        for (Envelope envelope : new Envelope[] {TestEvents.pageView("a", "contoso"), TestEvents.productView("b", "contoso"),
                TestEvents.addToCart("c", "contoso"), TestEvents.purchase("d", "contoso")}) {
            byte[] bytes = TestEnvelopeSerde.serializer().serialize("t", envelope);
            assertThat(TestEnvelopeSerde.deserializer().deserialize("t", bytes)).isEqualTo(envelope);
        }
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> TestEnvelopeSerde.deserializer().deserialize("t", new byte[] {1, 2, 3}))
                .isInstanceOf(SerializationException.class);
    }
}
