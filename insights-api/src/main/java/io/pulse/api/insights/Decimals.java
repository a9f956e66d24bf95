package io.pulse.api.insights;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money and averages in answers: exact decimals with 4 places, as strings ({@code "12.5000"}), never binary floats. */
final class Decimals {
    static final int SCALE = 4;

    private Decimals() {
    }

    static String text(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code total / count}, half-even to 4 places; null when count is 0. */
    static String average(BigDecimal total, long count) {
        return count == 0 ? null : total.divide(BigDecimal.valueOf(count), SCALE, RoundingMode.HALF_EVEN).toPlainString();
    }
}
