package io.pulse.lake.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PseudonymiserTest {
    @Test
    void sameIdSameKeyGivesSamePseudonym() {
        Pseudonymiser pseudonymiser = new Pseudonymiser("a-test-key-of-some-length");

        assertThat(pseudonymiser.pseudonymise("customer-42")).isEqualTo(pseudonymiser.pseudonymise("customer-42"))
                .isNotEqualTo(pseudonymiser.pseudonymise("customer-43"));
    }

    @Test
    void refusesAnEmptyKey() {
        assertThatThrownBy(() -> new Pseudonymiser(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the pseudonymisation key must not be empty");
    }

    @Test
    void neverPrintsItsKey() {
        assertThat(new Pseudonymiser("a-test-key-of-some-length")).hasToString("Pseudonymiser[HmacSHA256, key=***]");
    }
}
