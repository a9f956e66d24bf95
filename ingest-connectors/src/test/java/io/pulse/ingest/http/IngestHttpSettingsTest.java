package io.pulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestHttpSettingsTest {
    private static final String HASH_A = KeyHash.of("key-a").hex();
    private static final String HASH_B = KeyHash.of("key-b").hex();

    @Test
    void readsEveryKeyAndUsesDefaultsForTheRest() {
        IngestHttpSettings s = IngestHttpSettings.fromProperties(Map.of(
                IngestHttpSettings.MAX_REQUEST_BYTES, "65536",
                IngestHttpSettings.REQUEST_TIMEOUT, "3s",
                IngestHttpSettings.SOURCE_KEYS, "webshop:contoso+fabrikam:" + HASH_A + ", pos:contoso:" + HASH_B.toUpperCase(),
                IngestHttpSettings.ADMIN_KEY_SHA256, KeyHash.of("admin").hex()));

        assertThat(s.maxRequestBytes()).isEqualTo(65536);
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.maxEventsPerRequest()).isEqualTo(IngestHttpSettings.DEFAULT_MAX_EVENTS_PER_REQUEST);
        assertThat(s.tenantEventsPerSecond()).isEqualTo(IngestHttpSettings.DEFAULT_TENANT_EVENTS_PER_SECOND);
        assertThat(s.retryAfter()).isEqualTo(IngestHttpSettings.DEFAULT_RETRY_AFTER);
        assertThat(s.sourceKeys()).extracting(SourceKey::source).containsExactly("webshop", "pos");
        assertThat(s.sourceKeys().get(0).tenants()).containsExactly("contoso", "fabrikam");
        assertThat(s.sourceKeys().get(1).hash()).isEqualTo(KeyHash.of("key-b"));
        assertThat(s.adminKey()).contains(KeyHash.of("admin"));
    }

    @Test
    void reportsEveryBadKeyAtOnceByName() {
        assertThatThrownBy(() -> IngestHttpSettings.fromProperties(Map.of(
                IngestHttpSettings.MAX_REQUEST_BYTES, "lots",
                IngestHttpSettings.TENANT_EVENTS_PER_SECOND, "0",
                IngestHttpSettings.REQUEST_TIMEOUT, "soon",
                IngestHttpSettings.SOURCE_KEYS, "webshop:contoso:not-a-hash",
                IngestHttpSettings.ADMIN_KEY_SHA256, "abc")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("'" + IngestHttpSettings.MAX_REQUEST_BYTES + "' must be a whole number, got 'lots'"),
                        p -> assertThat(p).startsWith("'" + IngestHttpSettings.TENANT_EVENTS_PER_SECOND + "' must be a whole number of at least 1"),
                        p -> assertThat(p).startsWith("'" + IngestHttpSettings.REQUEST_TIMEOUT + "' must be a duration"),
                        p -> assertThat(p).startsWith("'" + IngestHttpSettings.SOURCE_KEYS + "'").contains("webshop").contains("SHA-256")
                                .doesNotContain("not-a-hash"),
                        p -> assertThat(p).startsWith("'" + IngestHttpSettings.ADMIN_KEY_SHA256 + "' must be a SHA-256 hash")));
    }

    @Test
    void refusesABurstSmallerThanARequestSoThatEveryRequestCanPass() {
        assertThatThrownBy(() -> IngestHttpSettings.builder().maxEventsPerRequest(500).tenantBurst(100).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + IngestHttpSettings.TENANT_BURST + "' (100) must be at least '" + IngestHttpSettings.MAX_EVENTS_PER_REQUEST + "' (500)");
    }

    @Test
    void refusesSharedKeysDuplicateSourcesAndAnAdminKeyThatIsASourceKey() {
        assertThatThrownBy(() -> IngestHttpSettings.builder().sourceKey("a", "same", "contoso").sourceKey("b", "same", "contoso").build())
                .hasMessageContaining("'" + IngestHttpSettings.SOURCE_KEYS + "' gives source 'b' a key hash another source already has");
        assertThatThrownBy(() -> IngestHttpSettings.builder().sourceKey("a", "k1", "contoso").sourceKey("a", "k2", "contoso").build())
                .hasMessageContaining("names source 'a' twice");
        assertThatThrownBy(() -> IngestHttpSettings.builder().sourceKey("a", "k1", "contoso").adminKey(KeyHash.of("k1")).build())
                .hasMessageContaining("'" + IngestHttpSettings.ADMIN_KEY_SHA256 + "' equals a source's key hash");
    }

    @Test
    void refusesBadSourceEntries() {
        assertThatThrownBy(() -> IngestHttpSettings.fromProperties(Map.of(IngestHttpSettings.SOURCE_KEYS, "webshop:Contoso:" + HASH_A)))
                .hasMessageContaining("'" + IngestHttpSettings.SOURCE_KEYS + "'").hasMessageContaining("invalid tenant 'Contoso'");
        assertThatThrownBy(() -> IngestHttpSettings.fromProperties(Map.of(IngestHttpSettings.SOURCE_KEYS, "webshop::" + HASH_A)))
                .hasMessageContaining("at least one tenant");
        assertThatThrownBy(() -> IngestHttpSettings.fromProperties(Map.of(IngestHttpSettings.SOURCE_KEYS, "Web Shop:contoso:" + HASH_A)))
                .hasMessageContaining("'" + IngestHttpSettings.SOURCE_KEYS + "'").hasMessageContaining("Web Shop");
        assertThatThrownBy(() -> IngestHttpSettings.fromProperties(Map.of(IngestHttpSettings.SOURCE_KEYS, "webshop:" + HASH_A)))
                .hasMessageContaining("<source>:<tenant>");
    }

    @Test
    void keyHashesNeverPrintWhole() {
        SourceKey key = new SourceKey("webshop", List.of("contoso"), KeyHash.of("secret"));

        assertThat(key.toString()).doesNotContain(KeyHash.of("secret").hex()).contains("sha256:");
    }
}
