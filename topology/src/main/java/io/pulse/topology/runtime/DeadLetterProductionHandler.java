package io.pulse.topology.runtime;

import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.topics.TopicCatalogue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a result cannot be written. A record that can never be written (it does not
 * serialize, or it is over the broker's size limit, 1 MB on Event Hubs) goes to the dead-letter topic
 * with the reason in headers, and processing goes on; a transient broker error is retried; anything
 * else stops the thread (and the uncaught-exception policy decides) rather than lose output silently.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (exception instanceof RecordTooLargeException) {
            log.error("Result for topic {} from task {} (source {}-{}@{}) is too large for the broker; sent to the dead-letter topic",
                    record.topic(), context.taskId(), context.topic(), context.partition(), context.offset(), exception);
            return Response.resume(List.of(deadLetter(context, record.key(), context.sourceRawValue(), exception)));
        }
        return Response.fail();
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        log.error("Result for topic {} from task {} (source {}-{}@{}) could not be serialized ({}); sent to the dead-letter topic",
                record.topic(), context.taskId(), context.topic(), context.partition(), context.offset(), origin, exception);
        return Response.resume(List.of(deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }

    /** The source record that led to the failed output, with Pulse's failure and origin headers. */
    static ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value, Exception exception) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetterHeaders.describeFailure(headers, "topology", exception, String.valueOf(context.topic()), context.partition(),
                context.offset(), Instant.now());
        return new ProducerRecord<>(TopicCatalogue.DEAD_LETTERS.name(), null, key, value, headers);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}
