package io.pulse.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.runtime.DeadLetterProductionHandler;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetterProductionHandlerTest {
    private static final byte[] SOURCE_VALUE = "the source event".getBytes(StandardCharsets.UTF_8);
    private final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    private final ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("pulse.metrics.v1", new byte[] {1}, new byte[] {2});

    @Test
    void sendsTheSourceOfAnUnserializableResultToTheDeadLetterTopic() {
        Response r = handler.handleSerializationError(context(), output, new SerializationException("no schema"),
                SerializationExceptionOrigin.VALUE);

        assertThat(r.result()).isEqualTo(Result.RESUME);
        assertThat(r.deadLetterQueueRecords()).singleElement().satisfies(dlq -> {
            assertThat(dlq.topic()).isEqualTo(TopicCatalogue.DEAD_LETTERS.name());
            assertThat(dlq.value()).isEqualTo(SOURCE_VALUE);
            assertThat(DeadLetterHeaders.text(dlq.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("no schema");
            assertThat(DeadLetterHeaders.text(dlq.headers(), DeadLetterHeaders.ORIGIN_TOPIC)).isEqualTo("pulse.events.v1");
            assertThat(DeadLetterHeaders.text(dlq.headers(), DeadLetterHeaders.ORIGIN_OFFSET)).isEqualTo("42");
            assertThat(DeadLetterHeaders.text(dlq.headers(), DeadLetterHeaders.ERROR_STAGE)).isEqualTo("topology");
        });
    }

    @Test
    void deadLettersATooLargeResultButRetriesTransientErrorsAndFailsOnOthers() {
        assertThat(handler.handleError(context(), output, new RecordTooLargeException("1.2 MB")).result()).isEqualTo(Result.RESUME);
        assertThat(handler.handleError(context(), output, new NotEnoughReplicasException("isr")).result()).isEqualTo(Result.RETRY);
        assertThat(handler.handleError(context(), output, new TopicAuthorizationException("denied")).result()).isEqualTo(Result.FAIL);
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "pulse.events.v1"; }
            @Override public int partition() { return 3; }
            @Override public long offset() { return 42; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "windowed-metrics-final-sink"; }
            @Override public TaskId taskId() { return new TaskId(0, 3); }
            @Override public long timestamp() { return 0; }
            @Override public byte[] sourceRawKey() { return "contoso".getBytes(StandardCharsets.UTF_8); }
            @Override public byte[] sourceRawValue() { return SOURCE_VALUE; }
        };
    }
}
