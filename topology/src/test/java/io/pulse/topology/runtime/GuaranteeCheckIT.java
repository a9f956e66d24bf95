package io.pulse.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up guarantee check against a real broker: one that runs transactions, and brokers configured so
 * that transactions cannot work (as Kafka Streams would find out at its first commit).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GuaranteeCheckIT {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    private static final String ADVICE = ConfigKeys.STREAMS_GUARANTEE + "=at_least_once; Pulse then de-duplicates by event id";

    @TempDir
    Path dataDir;

    private EmbeddedKafkaBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void exactlyOnceIsAcceptedByABrokerThatRunsTransactions() {
        broker = EmbeddedKafkaBroker.builder(dataDir).build().start();

        assertThatCode(() -> GuaranteeCheck.verify(streamsProperties("exactly_once_v2"), Duration.ofSeconds(30)))
                .doesNotThrowAnyException();
    }

    @Test
    void exactlyOnceIsRefusedWhenNoTransactionCoordinatorCanExistSayingWhyAndWhatToDo() {
        // One broker cannot hold a transaction state log replicated three times: no coordinator, no transactions.
        broker = EmbeddedKafkaBroker.builder(dataDir).brokerProperty("transaction.state.log.replication.factor", "3").build().start();
        long started = System.nanoTime();

        ConfigException refused = catchThrowableOfType(ConfigException.class,
                () -> GuaranteeCheck.verify(streamsProperties("exactly_once_v2"), CHECK_TIMEOUT));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CHECK_TIMEOUT.plusSeconds(10));
        assertThat(refused.getMessage())
                .contains("'" + ConfigKeys.STREAMS_GUARANTEE + "' is exactly_once_v2")
                .contains("the Kafka cluster at " + broker.bootstrapServers() + " did not grant a transactional producer within 5s")
                .contains("transaction.state.log.replication.factor")
                .endsWith(ADVICE);
        assertThat(refused).hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }

    @Test
    void exactlyOnceIsRefusedWhenTheBrokerCapsTransactionsBelowTheStreamsTimeout() {
        broker = EmbeddedKafkaBroker.builder(dataDir).brokerProperty("transaction.max.timeout.ms", "5000").build().start();

        ConfigException refused = catchThrowableOfType(ConfigException.class,
                () -> GuaranteeCheck.verify(streamsProperties("exactly_once_v2"), Duration.ofSeconds(30)));

        assertThat(refused.getMessage())
                .contains("refused a transactional producer with Kafka Streams' transaction timeout of "
                        + GuaranteeCheck.STREAMS_EOS_TRANSACTION_TIMEOUT_MS + " ms")
                .contains("transaction.max.timeout.ms")
                .endsWith(ADVICE);
    }

    @Test
    void atLeastOnceIsNotCheckedAndStartsWhereTransactionsCannotWork() {
        broker = EmbeddedKafkaBroker.builder(dataDir).brokerProperty("transaction.state.log.replication.factor", "3").build().start();
        long started = System.nanoTime();

        assertThatCode(() -> GuaranteeCheck.verify(streamsProperties("at_least_once"), CHECK_TIMEOUT)).doesNotThrowAnyException();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CHECK_TIMEOUT);
    }

    @Test
    void insightsStreamsRefusesToStartAnExactlyOnceTopologyTheBrokerCannotServe() {
        broker = EmbeddedKafkaBroker.builder(dataDir).brokerProperty("transaction.state.log.replication.factor", "3").build().start();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("guarantee-check-input");

        try (InsightsStreams streams = new InsightsStreams(builder.build(), streamsProperties("exactly_once_v2"), CHECK_TIMEOUT)) {
            ConfigException refused = catchThrowableOfType(ConfigException.class, streams::start);

            assertThat(refused.getMessage()).endsWith(ADVICE);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
        }
    }

    /** What Pulse starts Kafka Streams with, for this broker and guarantee (a fresh application id per test). */
    private Properties streamsProperties(String guarantee) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
        overrides.put(ConfigKeys.STREAMS_GUARANTEE, guarantee);
        overrides.put(ConfigKeys.STREAMS_APPLICATION_ID, "guarantee-check-" + UUID.randomUUID());
        overrides.put(ConfigKeys.DATA_DIR, dataDir.resolve("pulse").toString());
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(), overrides);
        return StreamsProperties.of(config, new KafkaClientSettings(config.kafka()), null);
    }
}
