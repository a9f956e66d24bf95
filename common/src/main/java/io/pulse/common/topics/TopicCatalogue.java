package io.pulse.common.topics;

import io.pulse.avro.ActiveCustomers;
import io.pulse.avro.Alert;
import io.pulse.avro.BasketSize;
import io.pulse.avro.Customer;
import io.pulse.avro.CustomerProfile;
import io.pulse.avro.Envelope;
import io.pulse.avro.ShopperSession;
import io.pulse.avro.Store;
import io.pulse.avro.TopProducts;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.Topic.Cleanup;
import java.time.Duration;
import java.util.List;

/**
 * Every topic Pulse owns, declared once. Topics are created from this list (locally with the admin
 * client, on Azure from Bicep generated from it) and documentation is generated from it.
 *
 * <p>Names carry a version suffix: an incompatible change gets a new topic, never a rewrite.
 */
public final class TopicCatalogue {
    /** Partitions of the busy topics; Event Hubs Standard allows 32 per event hub. */
    public static final int DEFAULT_PARTITIONS = 4;

    /** Raw engagement events, keyed by tenant ({@link EventKeys}): a retailer's events stay in one partition, in arrival order. */
    public static final Topic<String, Envelope> EVENTS = new Topic<>(
            "pulse.events.v1", String.class, Envelope.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(7),
            "Every accepted engagement event in the standard envelope.");

    /**
     * Windowed metrics, provisional updates and final values (marked), partitioned by tenant; keyed
     * {@code tenant/store/channel/window-size/window-start} ({@code *} for all stores or channels) by the
     * windowed-metrics stage, {@code tenant/window-size/window-start} by the event-count stage.
     */
    public static final Topic<String, WindowedMetrics> METRICS = new Topic<>(
            "pulse.metrics.v1", String.class, WindowedMetrics.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(7),
            "Per-tenant windowed metrics; each record says whether its window is final.");

    /** Events that broke an envelope rule (validation), keyed by tenant; the reason rides in headers ({@code pulse.reject.*}). */
    public static final Topic<String, Envelope> REJECTS = new Topic<>(
            "pulse.rejects.v1", String.class, Envelope.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(14),
            "Envelopes that failed validation; headers name the rule and the field.");

    /** Events that arrived later than the window grace allows, keyed by tenant; they count in no window. */
    public static final Topic<String, Envelope> LATE_EVENTS = new Topic<>(
            "pulse.late-events.v1", String.class, Envelope.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(14),
            "Events older than stream time minus the window grace; headers say how late.");

    /** Customer reference data (CRM, loyalty), keyed {@code tenant/customer} and partitioned by tenant. */
    public static final Topic<String, Customer> CUSTOMERS = new Topic<>(
            "pulse.customers.v1", String.class, Customer.class, DEFAULT_PARTITIONS, Cleanup.COMPACT, Duration.ZERO,
            "Latest known attributes of each customer (tier, segment, home store).");

    /** Store reference data, keyed {@code tenant/store}; read as a global table by every instance. */
    public static final Topic<String, Store> STORES = new Topic<>(
            "pulse.stores.v1", String.class, Store.class, 1, Cleanup.COMPACT, Duration.ZERO,
            "Latest known attributes of each store (region, format).");

    /**
     * Shopping sessions, keyed {@code tenant/<shopper>/<session start>} with the shopper {@code customer/<id>} or
     * {@code anonymous/<session id>}, partitioned by tenant: provisional updates and one final record per session.
     */
    public static final Topic<String, ShopperSession> SESSIONS = new Topic<>(
            "pulse.sessions.v1", String.class, ShopperSession.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(7),
            "Per-shopper sessions (inactivity gap); each record says whether its session is final.");

    /** Engagement profile per known customer (RFM, churn risk), keyed {@code tenant/customer}, partitioned by tenant. */
    public static final Topic<String, CustomerProfile> CUSTOMER_PROFILES = new Topic<>(
            "pulse.customer-profiles.v1", String.class, CustomerProfile.class, DEFAULT_PARTITIONS, Cleanup.COMPACT, Duration.ZERO,
            "Latest engagement profile of each known customer: recency, frequency, monetary value, RFM segment, churn risk.");

    /** Top products per tenant and window (by views, by units), keyed {@code tenant/<window size>/<window start>}, provisional and final. */
    public static final Topic<String, TopProducts> TOP_PRODUCTS = new Topic<>(
            "pulse.top-products.v1", String.class, TopProducts.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(7),
            "Per-tenant top-N products by views and by units purchased per window; each record says whether its window is final.");

    /** Daily, weekly and monthly active customers per tenant and UTC day, keyed {@code tenant/<day start>}, provisional and final. */
    public static final Topic<String, ActiveCustomers> ACTIVE_CUSTOMERS = new Topic<>(
            "pulse.active-customers.v1", String.class, ActiveCustomers.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(35),
            "Per-tenant DAU, WAU, MAU and stickiness (DAU/WAU, DAU/MAU) per day; each record says whether its day is final.");

    /** Revenue and conversion spikes and dips against a rolling baseline, keyed {@code tenant/store|*&#47;channel|*&#47;metric/window start}, partitioned by tenant. */
    public static final Topic<String, Alert> ALERTS = new Topic<>(
            "pulse.alerts.v1", String.class, Alert.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(14),
            "Spikes and dips of revenue and conversion per tenant and per store, each with its z-score against the rolling baseline.");

    /** Basket sizes per tenant and hour (orders, units, average and largest basket), keyed {@code tenant/PT1H/<window start>}, partitioned by tenant, provisional and final. */
    public static final Topic<String, BasketSize> BASKET_SIZES = new Topic<>(
            "pulse.basket-sizes.v1", String.class, BasketSize.class, DEFAULT_PARTITIONS, Cleanup.DELETE, Duration.ofDays(7),
            "Per-tenant hourly basket sizes: orders, units, average units per order, largest basket; each record says whether its hour is final.");

    /** Records that could not be read or processed, with the reason in headers. */
    public static final Topic<byte[], byte[]> DEAD_LETTERS = new Topic<>(
            "pulse.dead-letters.v1", byte[].class, byte[].class, 1, Cleanup.DELETE, Duration.ofDays(14),
            "Records that failed deserialization, processing or production; headers say why and where from.");

    /** The embedded schema registry's storage (like Confluent's {@code _schemas}). */
    public static final Topic<String, String> SCHEMAS = new Topic<>(
            "_pulse-schemas", String.class, String.class, 1, Cleanup.COMPACT, Duration.ZERO,
            "Schemas of the embedded schema registry, one record per subject version.");

    private TopicCatalogue() {
    }

    /** All of them, in creation order. */
    public static List<Topic<?, ?>> all() {
        return List.of(SCHEMAS, EVENTS, REJECTS, LATE_EVENTS, CUSTOMERS, STORES, METRICS, SESSIONS, CUSTOMER_PROFILES, TOP_PRODUCTS, ACTIVE_CUSTOMERS, ALERTS, BASKET_SIZES, DEAD_LETTERS);
    }
}
