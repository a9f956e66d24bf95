package io.pulse.lake.mapping;

import io.pulse.avro.AddToCart;
import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.Money;
import io.pulse.avro.PageView;
import io.pulse.avro.ProductView;
import io.pulse.avro.Purchase;
import io.pulse.avro.lake.LakeEventRow;
import io.pulse.avro.lake.LakeLineItem;
import io.pulse.common.config.TenantIds;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Flattens an {@link Envelope} into a {@link LakeEventRow}: the payload's branch becomes plain columns,
 * the customer id becomes a pseudonym, and the Kafka coordinates become lineage columns.
 *
 * <p>An envelope the lake cannot hold faithfully is refused with a {@link LakeMappingException} (and
 * goes to the dead-letter topic) rather than stored half-right: a tenant that is not a valid directory
 * name, a payload whose branch contradicts the event type, an amount that does not fit DECIMAL(18,4),
 * or a purchase whose line items are priced in another currency than its total.
 */
public final class LakeEventMapper {
    public static final int DECIMAL_SCALE = 4;
    public static final int DECIMAL_PRECISION = 18;

    private static final Map<EventType, Class<?>> PAYLOAD_OF = Map.of(
            EventType.PAGE_VIEW, PageView.class,
            EventType.PRODUCT_VIEW, ProductView.class,
            EventType.ADD_TO_CART, AddToCart.class,
            EventType.PURCHASE, Purchase.class);

    private final Pseudonymiser pseudonymiser;

    public LakeEventMapper(Pseudonymiser pseudonymiser) {
        this.pseudonymiser = Objects.requireNonNull(pseudonymiser, "pseudonymiser");
    }

    public LakeEventRow toRow(Envelope envelope, RecordOrigin origin) {
        if (!TenantIds.isValid(envelope.getTenant())) {
            throw new LakeMappingException("tenant '" + abbreviate(envelope.getTenant()) + "' is not a valid tenant id (" + TenantIds.RULE + ")");
        }
        if (envelope.getEventId() == null || envelope.getEventId().isBlank()) {
            throw new LakeMappingException("event_id is empty");
        }
        LakeEventRow.Builder row = LakeEventRow.newBuilder()
                .setEventId(envelope.getEventId())
                .setTenant(envelope.getTenant())
                .setSourceSystem(envelope.getSource().getSystem())
                .setSourceKind(envelope.getSource().getKind().name())
                .setEventType(envelope.getEventType().name())
                .setEventTime(envelope.getEventTime())
                .setIngestionTime(envelope.getIngestionTime())
                .setCustomerKey(envelope.getCustomerId() == null ? null : pseudonymiser.pseudonymise(envelope.getCustomerId()))
                .setSessionId(envelope.getSessionId())
                .setChannel(envelope.getChannel().name())
                .setStoreId(envelope.getStoreId())
                .setKafkaTopic(origin.topic())
                .setKafkaPartition(origin.partition())
                .setKafkaOffset(origin.offset());
        flattenPayload(envelope.getEventType(), envelope.getPayload(), row);
        return row.build();
    }

    private static void flattenPayload(EventType type, Object payload, LakeEventRow.Builder row) {
        if (payload == null) {
            return;
        }
        Class<?> expected = PAYLOAD_OF.get(type);
        if (expected == null || !expected.isInstance(payload)) {
            throw new LakeMappingException("event_type " + type + " does not match its payload " + payload.getClass().getSimpleName());
        }
        if (payload instanceof PageView view) {
            row.setPageUrl(view.getUrl());
        } else if (payload instanceof ProductView view) {
            row.setProductId(view.getProductId());
            if (view.getPrice() != null) {
                row.setUnitPrice(lakeDecimal(view.getPrice().getAmount(), "price.amount"))
                        .setCurrency(view.getPrice().getCurrency());
            }
        } else if (payload instanceof AddToCart add) {
            row.setProductId(add.getProductId())
                    .setQuantity(add.getQuantity())
                    .setUnitPrice(lakeDecimal(add.getUnitPrice().getAmount(), "unit_price.amount"))
                    .setCurrency(add.getUnitPrice().getCurrency());
        } else if (payload instanceof Purchase purchase) {
            Money total = purchase.getTotal();
            row.setOrderId(purchase.getOrderId())
                    .setOrderTotal(lakeDecimal(total.getAmount(), "total.amount"))
                    .setCurrency(total.getCurrency())
                    .setLineItems(lineItems(purchase.getLineItems(), total.getCurrency()));
        }
    }

    private static List<LakeLineItem> lineItems(List<LineItem> items, String orderCurrency) {
        List<LakeLineItem> lake = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            LineItem item = items.get(i);
            // The lake keeps one currency per order; a line in another currency would be silently mislabelled.
            if (!Objects.equals(item.getUnitPrice().getCurrency(), orderCurrency)) {
                throw new LakeMappingException("line_items[" + i + "] is priced in " + item.getUnitPrice().getCurrency()
                        + " but the order total in " + orderCurrency);
            }
            lake.add(new LakeLineItem(item.getProductId(), item.getQuantity(),
                    lakeDecimal(item.getUnitPrice().getAmount(), "line_items[" + i + "].unit_price.amount")));
        }
        return lake;
    }

    /** The amount at the lake's scale: trailing zeros are added, digits are never rounded away. */
    static BigDecimal lakeDecimal(BigDecimal amount, String field) {
        if (amount == null) {
            throw new LakeMappingException(field + " is missing");
        }
        BigDecimal scaled;
        try {
            scaled = amount.setScale(DECIMAL_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new LakeMappingException(field + " has more than " + DECIMAL_SCALE + " decimal places (scale " + amount.scale() + ")", e);
        }
        if (scaled.precision() > DECIMAL_PRECISION) {
            throw new LakeMappingException(field + " does not fit DECIMAL(" + DECIMAL_PRECISION + "," + DECIMAL_SCALE + ") ("
                    + scaled.precision() + " digits)");
        }
        return scaled;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
