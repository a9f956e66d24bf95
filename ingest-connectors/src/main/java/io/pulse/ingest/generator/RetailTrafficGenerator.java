package io.pulse.ingest.generator;

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
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic multi-tenant retail traffic: shoppers in sessions that move from page views to product
 * views, some to the basket and some on to a purchase, on the web, in the app and in stores.
 *
 * <p>Deterministic: the same tenants and seed give the same sequence of events (ids included) for
 * the same event times. Not thread safe; one generator per producing thread.
 */
public final class RetailTrafficGenerator {
    /** Sessions open at once per tenant: enough to interleave, few enough to reach purchases. */
    private static final int OPEN_SESSIONS_PER_TENANT = 20;

    private final Random random;
    private final List<TenantCatalog> tenants;
    private final List<List<ShopperSession>> openSessions = new ArrayList<>();
    private long sessionCounter;

    public RetailTrafficGenerator(List<String> tenants, long seed) {
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("the generator needs at least one tenant");
        }
        this.random = new Random(seed);
        this.tenants = tenants.stream().map(t -> new TenantCatalog(t, random)).toList();
        for (int i = 0; i < tenants.size(); i++) {
            openSessions.add(new ArrayList<>());
        }
    }

    /** The next event, happening at {@code eventTime}. Its ingestion time is left to the delivery path (set equal here). */
    public Envelope next(Instant eventTime) {
        int t = pickTenant();
        TenantCatalog catalog = tenants.get(t);
        List<ShopperSession> sessions = openSessions.get(t);
        if (sessions.size() < OPEN_SESSIONS_PER_TENANT || random.nextInt(10) == 0) {
            sessions.add(newSession(catalog));
        }
        int index = random.nextInt(sessions.size());
        ShopperSession session = sessions.get(index);
        Envelope event = session.step(catalog, random, eventTime, newEventId());
        if (session.finished()) {
            sessions.remove(index);
        }
        return event;
    }

    private int pickTenant() {
        // The first tenant is the biggest retailer: skewed load like real multi-tenant systems.
        double r = random.nextDouble();
        return r < 0.5 ? 0 : random.nextInt(tenants.size());
    }

    private ShopperSession newSession(TenantCatalog catalog) {
        int roll = random.nextInt(10);
        Channel channel = roll < 5 ? Channel.WEB : roll < 8 ? Channel.APP : Channel.STORE;
        String store = channel == Channel.STORE
                ? catalog.physicalStores.get(random.nextInt(catalog.physicalStores.size()))
                : TenantCatalog.WEB_SHOP;
        // One in five web/app visitors is anonymous; in stores the loyalty card identifies most.
        boolean anonymous = channel != Channel.STORE ? random.nextInt(5) == 0 : random.nextInt(10) == 0;
        String customer = anonymous ? null : String.format("c-%06d", 1 + random.nextInt(catalog.customers));
        String sessionId = String.format("s-%s-%08d", catalog.tenant, ++sessionCounter);
        return new ShopperSession(sessionId, customer, channel, store);
    }

    private String newEventId() {
        long hi = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lo = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** One shopper's visit, moving through the funnel one event at a time. */
    private static final class ShopperSession {
        private final String sessionId;
        private final String customerId;
        private final Channel channel;
        private final String storeId;
        private final List<LineItem> basket = new ArrayList<>();
        private int step;
        private boolean finished;

        ShopperSession(String sessionId, String customerId, Channel channel, String storeId) {
            this.sessionId = sessionId;
            this.customerId = customerId;
            this.channel = channel;
            this.storeId = storeId;
        }

        boolean finished() {
            return finished;
        }

        Envelope step(TenantCatalog catalog, Random random, Instant at, String eventId) {
            step++;
            EventType type;
            Object payload;
            if (step == 1 && channel != Channel.STORE) {
                type = EventType.PAGE_VIEW;
                payload = PageView.newBuilder().setUrl("/" + catalog.tenant + "/home").setPageType("home").build();
            } else if (!basket.isEmpty() && (random.nextInt(3) == 0 || step > 12)) {
                type = EventType.PURCHASE;
                payload = purchase(catalog, random);
                finished = true;
            } else if (step > 2 && random.nextInt(4) == 0) {
                int p = catalog.pickProduct(random);
                int quantity = 1 + (random.nextInt(5) == 0 ? random.nextInt(3) : 0);
                Money price = money(catalog.prices[p], catalog.currency);
                basket.add(LineItem.newBuilder().setProductId(catalog.products.get(p)).setQuantity(quantity).setUnitPrice(price).build());
                type = EventType.ADD_TO_CART;
                payload = AddToCart.newBuilder().setProductId(catalog.products.get(p)).setQuantity(quantity).setUnitPrice(price).build();
            } else if (step > 8 && random.nextInt(3) == 0) {
                // Left without buying: the session ends on a last page view.
                type = EventType.PAGE_VIEW;
                payload = PageView.newBuilder().setUrl("/" + catalog.tenant + "/search").setPageType("search").build();
                finished = true;
            } else {
                int p = catalog.pickProduct(random);
                type = EventType.PRODUCT_VIEW;
                payload = ProductView.newBuilder().setProductId(catalog.products.get(p)).setCategory(catalog.categoryOf(p))
                        .setPrice(money(catalog.prices[p], catalog.currency)).build();
            }
            return Envelope.newBuilder()
                    .setEventId(eventId)
                    .setTenant(catalog.tenant)
                    .setSource(Source.newBuilder().setSystem("pulse-generator").setKind(SourceKind.GENERATOR).build())
                    .setEventType(type)
                    .setEventTime(at)
                    .setIngestionTime(at)
                    .setCustomerId(customerId)
                    .setSessionId(sessionId)
                    .setChannel(channel)
                    .setStoreId(storeId)
                    .setPayload(payload)
                    .build();
        }

        private Purchase purchase(TenantCatalog catalog, Random random) {
            BigDecimal total = BigDecimal.ZERO.setScale(4);
            for (LineItem item : basket) {
                total = total.add(item.getUnitPrice().getAmount().multiply(BigDecimal.valueOf(item.getQuantity())));
            }
            return Purchase.newBuilder()
                    .setOrderId(sessionId.replace("s-", "o-") + "-" + random.nextInt(1000))
                    .setLineItems(List.copyOf(basket))
                    .setTotal(money(total, catalog.currency))
                    .build();
        }

        private static Money money(BigDecimal amount, String currency) {
            return Money.newBuilder().setAmount(amount).setCurrency(currency).build();
        }
    }
}
