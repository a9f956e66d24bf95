package io.pulse.launcher.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ComponentTest {
    @Test
    void parsesACommaListIgnoringSpacesAndRepeats() {
        assertThat(Component.parseList("ingest, lake-sink,ingest")).containsExactlyInAnyOrder(Component.INGEST, Component.LAKE_SINK);
        assertThat(Component.parseList("insights")).containsExactly(Component.INSIGHTS);
        assertThat(Component.parseList("insights,ingest,lake-sink")).isEqualTo(EnumSet.allOf(Component.class));
    }

    @Test
    void anUnknownNameIsRefusedListingTheValidOnes() {
        assertThatThrownBy(() -> Component.parseList("insights,lakesink"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown component 'lakesink'; valid components: insights, ingest, lake-sink");
    }

    @Test
    void anEmptyEntryIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> Component.parseList("ingest,"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty component name in 'ingest,'");
        assertThatThrownBy(() -> Component.parseList(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid components: insights, ingest, lake-sink");
    }

    @Test
    void idsAreWrittenInStartOrderWhateverTheInputOrder() {
        assertThat(Component.ids(Component.parseList("lake-sink,insights"))).isEqualTo("insights,lake-sink");
    }
}
