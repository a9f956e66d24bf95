package io.pulse.api.insights;

import io.pulse.avro.CustomerProfile;
import io.pulse.avro.Money;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/tenants/{tenant}/customers/{customerId}/profile}: one known customer's engagement profile. */
public record ProfileResponse(String tenant, String customerId, Profile profile, Freshness freshness) {

    static ProfileResponse of(String tenant, String customerId, CustomerProfile p, Freshness freshness) {
        return new ProfileResponse(tenant, customerId, Profile.of(p), freshness);
    }

    /**
     * Recency, frequency, monetary value and what they add up to (see the topology's RfmScoring).
     *
     * @param lastOrder  null: no order yet
     * @param revenue    the orders' totals per currency, never converted
     * @param segment    CHAMPIONS, LOYAL, POTENTIAL_LOYALIST, NEW, NEEDS_ATTENTION, AT_RISK or HIBERNATING
     * @param churnRisk  no activity for longer than the configured churn period, as of {@code asOf}
     * @param asOf       the stream time (event time) at which scores, segment and churn risk were last evaluated
     */
    public record Profile(Instant firstSeen, Instant lastActivity, Instant lastOrder, long events, long orders, int activeDays,
                          List<Amount> revenue, int recencyScore, int frequencyScore, int monetaryScore, String segment,
                          boolean churnRisk, Instant asOf) {
        static Profile of(CustomerProfile p) {
            return new Profile(p.getFirstSeen(), p.getLastActivity(), p.getLastOrder(), p.getEvents(), p.getOrders(), p.getActiveDays(),
                    p.getRevenue().stream().map(Amount::of).toList(), p.getRecencyScore(), p.getFrequencyScore(), p.getMonetaryScore(),
                    p.getSegment().name(), p.getChurnRisk(), p.getAsOf());
        }
    }

    /** An exact amount in one currency, a decimal string with 4 places. */
    public record Amount(String currency, String amount) {
        static Amount of(Money m) {
            return new Amount(m.getCurrency(), Decimals.text(m.getAmount()));
        }
    }
}
