package io.pulse.topology.errors;

import static io.pulse.common.testing.Envelopes.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.MetricsState;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Poison pills go to the dead-letter topic with the reason and origin in headers, and processing goes on. */
class DeadLetterTest {
    private final StageTestKit kit = new StageTestKit(TopologySettings.defaults());

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void sendsAnUndecodableEventToTheDeadLetterTopicWithHeadersAndKeepsProcessing() {
        TestInputTopic<byte[], byte[]> raw = kit.driver().createInputTopic(TopicCatalogue.EVENTS.name(),
                new ByteArraySerializer(), new ByteArraySerializer());
        byte[] poison = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);

        kit.send(pageView("contoso", "10:00:01").build());
        raw.pipeInput("contoso".getBytes(StandardCharsets.UTF_8), poison);
        kit.send(pageView("contoso", "10:00:02").build());

        List<TestRecord<byte[], byte[]>> dead = kit.driver().createOutputTopic(TopicCatalogue.DEAD_LETTERS.name(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(poison);
        assertThat(header(dead.get(0), "__streams.errors.topic")).isEqualTo(TopicCatalogue.EVENTS.name());
        assertThat(header(dead.get(0), "__streams.errors.exception")).contains("SerializationException");
        assertThat(header(dead.get(0), "__streams.errors.message")).contains("magic byte");
        // The events on both sides of the poison pill were counted.
        assertThat(kit.<MetricsState>windows(StoreNames.WINDOWED_METRICS_TENANT_1M, "contoso"))
                .singleElement().satisfies(w -> assertThat(w.value.getEvents()).isEqualTo(2));
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
