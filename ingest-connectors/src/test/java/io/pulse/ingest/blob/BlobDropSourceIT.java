package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import io.pulse.avro.AddToCart;
import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.PageView;
import io.pulse.avro.ProductView;
import io.pulse.avro.Purchase;
import io.pulse.avro.Source;
import io.pulse.avro.SourceKind;
import io.pulse.ingest.delivery.DeadLetter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The blob drop source against a real Azurite blob service, with an in-memory delivery path and dead letters. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BlobDropSourceIT {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String CONTAINER = "drops";

    @TempDir
    Path dir;

    private AzuriteServer azurite;
    private BlobContainerClient drops;
    private final List<BlobDropSource> sources = new ArrayList<>();

    @BeforeEach
    void startAzurite() {
        azurite = AzuriteServer.start(dir.resolve("azurite"));
        drops = azurite.container(CONTAINER);
    }

    @AfterEach
    void stopEverything() {
        sources.forEach(BlobDropSource::close);
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void deliversEveryJsonLineAsTheEventWrittenOnce() {
        upload("2026-11-21/web.jsonl", """
                {"eventId": "a0000000-0000-4000-8000-000000000001", "tenant": "contoso", "type": "PAGE_VIEW", "eventTime": "2026-11-21T10:00:00Z", "source": "webshop", "customerId": "c-1", "sessionId": "s-1", "channel": "WEB", "storeId": "web", "payload": {"url": "/home", "referrer": "https://search.example/"}}
                {"tenant": "contoso", "type": "PRODUCT_VIEW", "eventTime": "2026-11-21T10:00:05Z", "customerId": "c-1", "channel": "APP", "payload": {"productId": "sku-9", "category": "shoes", "price": {"amount": "59.90", "currency": "EUR"}}}
                {"tenant": "fabrikam", "type": "ADD_TO_CART", "eventTime": "2026-11-21T10:00:10Z", "payload": {"productId": "sku-9", "quantity": 2, "unitPrice": {"amount": "59.9", "currency": "EUR"}}}
                {"eventId": "a0000000-0000-4000-8000-000000000004", "tenant": "contoso", "type": "PURCHASE", "eventTime": "2026-11-21T10:01:00+01:00", "channel": "STORE", "storeId": "berlin-01", "payload": {"orderId": "o-1", "lineItems": [{"productId": "sku-9", "quantity": 2, "unitPrice": {"amount": "59.90", "currency": "EUR"}}, {"productId": "sku-3", "quantity": 1, "unitPrice": {"amount": "5", "currency": "EUR"}}], "total": {"amount": "124.80", "currency": "EUR"}}}
                {"tenant": "contoso", "type": "OTHER", "eventTime": "2026-11-21T10:02:00Z"}
                """);
        String etag = BlobDrop.unquoted(drops.getBlobClient("2026-11-21/web.jsonl").getProperties().getETag());
        RecordingDelivery delivery = new RecordingDelivery();
        RecordingDeadLetters deadLetters = new RecordingDeadLetters();
        BlobDropSource source = start(config().batchSize(2), delivery, deadLetters);

        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 1);
        awaitAnotherPoll(source);

        assertThat(delivery.events()).containsExactly(
                envelope("a0000000-0000-4000-8000-000000000001", "contoso", "webshop", EventType.PAGE_VIEW, "10:00:00", "c-1", "s-1",
                        Channel.WEB, "web", new PageView("/home", "https://search.example/", null)),
                envelope(lineId("2026-11-21/web.jsonl", etag, 2), "contoso", "blob/drops", EventType.PRODUCT_VIEW, "10:00:05", "c-1", null,
                        Channel.APP, null, new ProductView("sku-9", "shoes", money("59.90"))),
                envelope(lineId("2026-11-21/web.jsonl", etag, 3), "fabrikam", "blob/drops", EventType.ADD_TO_CART, "10:00:10", null, null,
                        Channel.OTHER, null, new AddToCart("sku-9", 2, money("59.9"))),
                envelope("a0000000-0000-4000-8000-000000000004", "contoso", "blob/drops", EventType.PURCHASE, "09:01:00", null, null,
                        Channel.STORE, "berlin-01", new Purchase("o-1", List.of(new LineItem("sku-9", 2, money("59.90")),
                                new LineItem("sku-3", 1, money("5"))), money("124.80"))),
                envelope(lineId("2026-11-21/web.jsonl", etag, 5), "contoso", "blob/drops", EventType.OTHER, "10:02:00", null, null,
                        Channel.OTHER, null, null));
        assertThat(delivery.batches()).extracting(b -> b.events().size()).containsExactly(2, 2, 1);
        assertThat(delivery.batches()).extracting(b -> b.source().value()).containsOnly("blob/drops");
        assertThat(deadLetters.letters()).isEmpty();
        assertThat(source.status().events()).isEqualTo(5);
    }

    @Test
    void deliversEveryCsvRowAsTheEventWritten() {
        upload("pos/berlin.csv", """
                event_id,tenant,event_type,event_time,source_system,customer_id,channel,store_id,product_id,quantity,unit_price,order_id,total,currency
                b0000000-0000-4000-8000-000000000001,contoso,PURCHASE,2026-11-21T10:00:00Z,"till 7, Berlin",c-1,STORE,berlin-01,sku-1,3,2.50,o-1,,EUR
                ,contoso,ADD_TO_CART,2026-11-21T10:05:00Z,,,STORE,berlin-01,sku-2,1,19.99,,,EUR
                """.replace("\n", "\r\n"));
        String etag = BlobDrop.unquoted(drops.getBlobClient("pos/berlin.csv").getProperties().getETag());
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource source = start(config(), delivery, new RecordingDeadLetters());

        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 1);

        assertThat(delivery.events()).containsExactly(
                envelope("b0000000-0000-4000-8000-000000000001", "contoso", "till 7, Berlin", EventType.PURCHASE, "10:00:00", "c-1", null,
                        Channel.STORE, "berlin-01", new Purchase("o-1", List.of(new LineItem("sku-1", 3, money("2.50"))), money("7.50"))),
                envelope(lineId("pos/berlin.csv", etag, 3), "contoso", "blob/drops", EventType.ADD_TO_CART, "10:05:00", null, null,
                        Channel.STORE, "berlin-01", new AddToCart("sku-2", 1, money("19.99"))));
    }

    @Test
    void deadLettersEachBadLineWithItsLineNumberAndDeliversTheRest() {
        upload("mixed.jsonl", String.join("\n",
                pageView("10:00:00"),
                "{\"tenant\": \"contoso\", \"type\": \"PAGE_VIEW\"",
                "",
                "{\"tenant\": \"contoso\", \"type\": \"ADD_TO_CART\", \"eventTime\": \"2026-11-21T10:00:00Z\", \"payload\": {\"productId\": \"a\","
                        + " \"quantity\": 1, \"unitPrice\": {\"amount\": \"1.00\", \"currency\": \"euro\"}}}",
                pageView("10:00:04")));
        RecordingDelivery delivery = new RecordingDelivery();
        RecordingDeadLetters deadLetters = new RecordingDeadLetters();
        BlobDropSource source = start(config(), delivery, deadLetters);

        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 1);

        assertThat(delivery.events()).extracting(e -> e.getEventTime().toString())
                .containsExactly("2026-11-21T10:00:00Z", "2026-11-21T10:00:04Z");
        assertThat(deadLetters.letters()).hasSize(2);
        DeadLetter notJson = deadLetters.letters().get(0);
        DeadLetter badCurrency = deadLetters.letters().get(1);
        assertThat(notJson.origin()).containsEntry("blob.name", "mixed.jsonl").containsEntry("blob.line", "2")
                .containsEntry("blob.container", CONTAINER);
        assertThat(notJson.value()).asString().isEqualTo("{\"tenant\": \"contoso\", \"type\": \"PAGE_VIEW\"");
        assertThat(notJson.error()).isInstanceOf(BadLineException.class).hasMessageContaining("line 2 of blob 'mixed.jsonl'")
                .hasMessageContaining("line.json");
        assertThat(notJson.source().value()).isEqualTo("blob/drops");
        assertThat(badCurrency.origin()).containsEntry("blob.line", "4");
        assertThat(badCurrency.error()).hasMessageContaining("money.currency-code").hasMessageContaining("payload.unitPrice.currency");
        assertThat(source.status().deadLetters()).isEqualTo(2);
    }

    @Test
    void ingestsEachBlobOnceAcrossARestartOfTheSource() {
        upload("a.jsonl", lines(1, 4));
        upload("b.csv", "tenant,event_type,event_time,url\ncontoso,PAGE_VIEW,2026-11-21T10:00:00Z,/b\n");
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource first = start(config(), delivery, new RecordingDeadLetters());
        await().atMost(DEADLINE).until(() -> first.status().blobsIngested() == 2);
        first.close();

        upload("c.jsonl", lines(10, 3));
        BlobDropSource second = start(config(), delivery, new RecordingDeadLetters());
        await().atMost(DEADLINE).until(() -> second.status().blobsIngested() == 1);
        awaitAnotherPoll(second);

        assertThat(delivery.events()).hasSize(8);
        assertThat(delivery.events()).extracting(Envelope::getEventId).doesNotHaveDuplicates();
        assertThat(second.status().events()).isEqualTo(3);
    }

    @Test
    void resumesAnInterruptedCsvAfterItsLastRecordedBatchWithoutDuplicates() {
        StringBuilder csv = new StringBuilder("tenant,event_type,event_time,url\n");
        IntStream.rangeClosed(1, 10).forEach(i -> csv.append("contoso,PAGE_VIEW,2026-11-21T10:00:").append(String.format("%02d", i))
                .append("Z,/p").append(i).append('\n'));
        upload("big.csv", csv.toString());
        RecordingDelivery failing = new RecordingDelivery();
        failing.failFromCall(3); // batches of 3 lines: lines 1-3 (header + 2 rows) and 4-6 are delivered, then the path fails
        BlobDropSource first = start(config().batchSize(3), failing, new RecordingDeadLetters());
        await().atMost(DEADLINE).until(() -> first.status().state() == BlobDropStatus.State.RETRYING);
        first.close();
        assertThat(failing.events()).extracting(e -> ((PageView) e.getPayload()).getUrl()).containsExactly("/p1", "/p2", "/p3", "/p4", "/p5");

        RecordingDelivery healthy = new RecordingDelivery();
        BlobDropSource second = start(config().batchSize(3), healthy, new RecordingDeadLetters());
        await().atMost(DEADLINE).until(() -> second.status().blobsIngested() == 1);

        assertThat(healthy.events()).extracting(e -> ((PageView) e.getPayload()).getUrl())
                .containsExactly("/p6", "/p7", "/p8", "/p9", "/p10");
        List<String> ids = new ArrayList<>(failing.events().stream().map(Envelope::getEventId).toList());
        healthy.events().forEach(e -> ids.add(e.getEventId()));
        assertThat(ids).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void aBlobReplacedBeforeItWasReadToItsEndIsReadAgainFromTheStartAsTheNewVersion() {
        upload("replaced.jsonl", lines(1, 6));
        RecordingDelivery failing = new RecordingDelivery();
        failing.failFromCall(2);
        BlobDropSource first = start(config().batchSize(2), failing, new RecordingDeadLetters());
        await().atMost(DEADLINE).until(() -> first.status().state() == BlobDropStatus.State.RETRYING);
        first.close();
        assertThat(failing.events()).hasSize(2);

        upload("replaced.jsonl", lines(20, 3));
        RecordingDelivery healthy = new RecordingDelivery();
        BlobDropSource second = start(config().batchSize(2), healthy, new RecordingDeadLetters());
        await().atMost(DEADLINE).until(() -> second.status().blobsIngested() == 1);

        assertThat(healthy.events()).extracting(e -> ((PageView) e.getPayload()).getUrl()).containsExactly("/10:20:00", "/10:21:00", "/10:22:00");
    }

    @Test
    void ingestsABlobAgainWhenItIsUploadedAgainWithANewEtag() {
        upload("daily.jsonl", lines(1, 2));
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource source = start(config(), delivery, new RecordingDeadLetters());
        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 1);

        upload("daily.jsonl", lines(1, 2)); // same content, new version

        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 2);
        assertThat(delivery.events()).hasSize(4);
        assertThat(delivery.events()).extracting(Envelope::getEventId).doesNotHaveDuplicates();
    }

    @Test
    void picksUpABlobDroppedWhileTheSourceRuns() {
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource source = start(config(), delivery, new RecordingDeadLetters());
        awaitAnotherPoll(source);

        upload("late/arrival.jsonl", lines(1, 3));

        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 1);
        assertThat(delivery.events()).hasSize(3);
    }

    @Test
    void takesOnlyBlobsUnderThePrefixWithAKnownExtension() {
        upload("in/keep.jsonl", lines(1, 1));
        upload("in/notes.txt", "not a drop");
        upload("elsewhere/skip.jsonl", lines(5, 1));
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource source = start(config().prefix("in/"), delivery, new RecordingDeadLetters());

        await().atMost(DEADLINE).until(() -> source.status().blobsIngested() == 1);
        awaitAnotherPoll(source);

        assertThat(delivery.events()).hasSize(1);
        assertThat(source.status().blobsIngested()).isEqualTo(1);
    }

    @Test
    void aPausedSourceReadsNothingUntilResumed() {
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource source = start(config(), delivery, new RecordingDeadLetters());
        source.pause();
        upload("while-paused.jsonl", lines(1, 2));

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> delivery.events().isEmpty());
        assertThat(source.status().state()).isEqualTo(BlobDropStatus.State.PAUSED);
        source.resume();

        await().atMost(DEADLINE).until(() -> delivery.events().size() == 2);
    }

    @Test
    void aMissingContainerIsAPermanentProblemNamingItUntilItIsCreated() {
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource source = start(BlobDropConfig.builder(new BlobDropConfig.ConnectionString(azurite.connectionString()), "not-yet",
                dir.resolve("ledger-not-yet")).pollInterval(Duration.ofMillis(200)).retry(2, Duration.ofMillis(50), Duration.ofMillis(500)),
                delivery, new RecordingDeadLetters());

        await().atMost(DEADLINE).until(() -> source.status().state() == BlobDropStatus.State.FAILING);
        assertThat(source.status().healthy()).isFalse();
        assertThat(source.status().problem()).get().asString().contains("container 'not-yet'").contains("does not exist")
                .contains("ContainerNotFound");

        azurite.container("not-yet").getBlobClient("x.jsonl").upload(BinaryData.fromString(lines(1, 1)));

        await().atMost(DEADLINE).until(() -> delivery.events().size() == 1);
        await().atMost(DEADLINE).until(() -> source.status().healthy());
        assertThat(source.status().problem()).isEmpty();
    }

    @Test
    void refusedCredentialsAreAPermanentProblemNamingTheContainer() {
        String wrongKey = azurite.connectionString().replace(AzuriteServer.KEY, "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk=");
        BlobDropSource source = start(BlobDropConfig.builder(new BlobDropConfig.ConnectionString(wrongKey), CONTAINER, dir.resolve("ledger"))
                .pollInterval(Duration.ofMillis(200)).retry(2, Duration.ofMillis(50), Duration.ofMillis(500)),
                new RecordingDelivery(), new RecordingDeadLetters());

        await().atMost(DEADLINE).until(() -> source.status().state() == BlobDropStatus.State.FAILING);
        assertThat(source.status().problem()).get().asString().contains("access to container 'drops'").contains("403")
                .doesNotContain("d3Jvbmc");
    }

    @Test
    void keepsPollingThroughAStorageOutageAndIngestsWhatWasDroppedBeforeIt() {
        RecordingDelivery delivery = new RecordingDelivery();
        BlobDropSource source = start(config(), delivery, new RecordingDeadLetters());
        awaitAnotherPoll(source);
        upload("before-outage.jsonl", lines(1, 2));
        source.pause(); // so the outage starts before the blob is read

        azurite.stop();
        source.resume();
        await().atMost(DEADLINE).until(() -> source.status().state() == BlobDropStatus.State.RETRYING);
        assertThat(source.status().problem()).get().asString().contains("container 'drops'").contains("could not be reached");
        assertThat(delivery.events()).isEmpty();
        azurite.start();

        await().atMost(DEADLINE).until(() -> delivery.events().size() == 2);
        await().atMost(DEADLINE).until(() -> source.status().healthy());
    }

    private BlobDropConfig.Builder config() {
        return BlobDropConfig.builder(new BlobDropConfig.ConnectionString(azurite.connectionString()), CONTAINER, dir.resolve("ledger"))
                .pollInterval(Duration.ofMillis(200))
                .retry(3, Duration.ofMillis(50), Duration.ofMillis(500));
    }

    private BlobDropSource start(BlobDropConfig.Builder config, RecordingDelivery delivery, RecordingDeadLetters deadLetters) {
        BlobDropSource source = BlobDropSource.create(config.build(), delivery, deadLetters, CLOCK);
        sources.add(source);
        source.start();
        return source;
    }

    /** Waits for a whole poll that started after this call (the one under way may have listed before), so that anything the source would still do is done. */
    private static void awaitAnotherPoll(BlobDropSource source) {
        long before = source.status().successfulPolls();
        await().atMost(DEADLINE).until(() -> source.status().successfulPolls() >= before + 2);
    }

    private void upload(String name, String content) {
        drops.getBlobClient(name).upload(BinaryData.fromString(content), true);
    }

    private static String lines(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> pageView(String.format("10:%02d:00", i)))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String pageView(String time) {
        return "{\"tenant\": \"contoso\", \"type\": \"PAGE_VIEW\", \"eventTime\": \"2026-11-21T" + time + "Z\", \"payload\": {\"url\": \"/"
                + time + "\"}}";
    }

    private static String lineId(String blob, String etag, long line) {
        return BlobEventIds.of(AzuriteServer.ACCOUNT, CONTAINER, blob, etag, line);
    }

    private static Money money(String amount) {
        return new Money(new BigDecimal(amount).setScale(4), "EUR");
    }

    private static Envelope envelope(String id, String tenant, String system, EventType type, String time, String customer, String session,
                                     Channel channel, String store, Object payload) {
        return new Envelope(id, tenant, new Source(system, SourceKind.BLOB), type, Instant.parse("2026-11-21T" + time + "Z"), NOW,
                customer, session, channel, store, payload);
    }
}
