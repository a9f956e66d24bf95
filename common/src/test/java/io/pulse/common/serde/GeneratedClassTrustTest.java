package io.pulse.common.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Channel;
import io.pulse.avro.Envelope;
import io.pulse.avro.lake.LakeEventRow;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class GeneratedClassTrustTest {

    @Test
    void trustsTheClassesGeneratedFromPulseSchemas() {
        assertThat(GeneratedClassTrust.isGenerated(Envelope.class)).isTrue();
        assertThat(GeneratedClassTrust.isGenerated(Channel.class)).isTrue();
        assertThat(GeneratedClassTrust.isGenerated(LakeEventRow.class)).isTrue();
    }

    @Test
    void trustsNothingElse() {
        assertThat(GeneratedClassTrust.isGenerated(SpecificRecordBase.class)).as("an Avro record outside the package").isFalse();
        assertThat(GeneratedClassTrust.isGenerated(ProcessBuilder.class)).isFalse();
        assertThat(GeneratedClassTrust.isGenerated(GeneratedClassTrust.class)).as("not an Avro type").isFalse();
    }
}
