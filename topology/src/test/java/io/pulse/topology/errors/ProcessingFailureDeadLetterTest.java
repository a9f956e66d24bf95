package io.pulse.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.runtime.StreamsProperties;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * A record that makes a processor throw goes to the dead-letter topic with the reason and origin in headers, and
 * the records after it are processed: the error handling Pulse's topology runs with
 * ({@link StreamsProperties#errorHandling()}), on a one-processor topology whose processor fails on purpose. Pulse's
 * validation stage sends envelopes that break a rule to {@code pulse.rejects.v1} before the metric stages see them,
 * so no input known to us makes a real stage throw; this handler is what stands between a stage's bug and a stopped
 * pipeline, hence a test of its own.
 */
class ProcessingFailureDeadLetterTest {
    private static final String IN = "test.in";
    private static final String OUT = "test.out";

    @Test
    void aRecordThatFailsInAProcessorIsDeadLetteredWithItsOriginAndProcessingGoesOn() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(IN, Consumed.with(Serdes.String(), Serdes.String()).withName("test-source"))
                .mapValues(v -> {
                    if (v.startsWith("poison")) {
                        throw new IllegalStateException("cannot compute a metric from '" + v + "'");
                    }
                    return v.toUpperCase();
                }, Named.as("test-fails-on-poison"))
                .to(OUT, Produced.with(Serdes.String(), Serdes.String()).withName("test-sink"));
        Properties props = StreamsProperties.errorHandling();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processing-failure-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic(IN, new StringSerializer(), new StringSerializer());
            in.pipeInput("contoso", "before");
            in.pipeInput("contoso", "poison-1");
            in.pipeInput("contoso", "after");

            assertThat(driver.createOutputTopic(OUT, new StringDeserializer(), new StringDeserializer()).readValuesToList())
                    .containsExactly("BEFORE", "AFTER");
            List<TestRecord<String, String>> dead = driver.createOutputTopic(TopicCatalogue.DEAD_LETTERS.name(),
                    new StringDeserializer(), new StringDeserializer()).readRecordsToList();
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.key()).isEqualTo("contoso");
                assertThat(d.value()).isEqualTo("poison-1");
                assertThat(header(d, "__streams.errors.topic")).isEqualTo(IN);
                assertThat(header(d, "__streams.errors.partition")).isNotNull();
                assertThat(header(d, "__streams.errors.offset")).isEqualTo("1");
                assertThat(header(d, "__streams.errors.exception")).contains("IllegalStateException");
                assertThat(header(d, "__streams.errors.message")).contains("cannot compute a metric from 'poison-1'");
            });
        }
    }

    private static String header(TestRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
