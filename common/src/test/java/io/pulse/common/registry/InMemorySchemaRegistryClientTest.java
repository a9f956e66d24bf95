package io.pulse.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InMemorySchemaRegistryClientTest {
    private static final String SUBJECT = "customers-value";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void registeringTheSameSchemaAgainReturnsTheSameIdAndVersion() {
        int id = registry.register(SUBJECT, Schemas.customerV1());

        assertThat(registry.register(SUBJECT, Schemas.customerV1())).isEqualTo(id);
        assertThat(registry.getVersions(SUBJECT)).containsExactly(1);
    }

    @Test
    void aSchemaHasOneGlobalIdAcrossSubjects() {
        int first = registry.register("a-value", Schemas.customerV1());
        int second = registry.register("b-value", Schemas.customerV1());
        int other = registry.register("b-value", Schemas.customerV2());

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(registry.getLatest("b-value").version()).isEqualTo(2);
        assertThat(registry.getVersion("a-value", 1).id()).isEqualTo(first);
    }

    @Test
    void compatibleVersionsAccumulate() {
        int v1 = registry.register(SUBJECT, Schemas.customerV1());
        int v2 = registry.register(SUBJECT, Schemas.customerV2());

        assertThat(registry.getVersions(SUBJECT)).containsExactly(1, 2);
        assertThat(registry.getLatest(SUBJECT)).isEqualTo(new SchemaRegistryClient.RegisteredSchema(SUBJECT, 2, v2, Schemas.customerV2()));
        assertThat(registry.getVersion(SUBJECT, 1).schema()).isEqualTo(Schemas.customerV1());
        assertThat(registry.getById(v1)).isEqualTo(Schemas.customerV1());
    }

    @Test
    void rejectsAnIncompatibleSchemaNamingSubjectAndFieldAndKeepsTheSubjectUnchanged() {
        registry.register(SUBJECT, Schemas.customerV1());

        assertThat(registry.isCompatible(SUBJECT, Schemas.customerWithRequiredField())).isFalse();
        assertThatThrownBy(() -> registry.register(SUBJECT, Schemas.customerWithRequiredField()))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("'" + SUBJECT + "'")
                .hasMessageContaining("BACKWARD")
                .hasMessageContaining("birth_year");
        assertThat(registry.getVersions(SUBJECT)).containsExactly(1);
        assertThat(registry.isCompatible(SUBJECT, Schemas.customerV2())).isTrue();
    }

    @Test
    void anySchemaIsCompatibleWithAnUnknownSubject() {
        assertThat(registry.isCompatible("new-value", Schemas.customerWithRequiredField())).isTrue();
    }

    @Test
    void levelNoneAcceptsAnything() {
        InMemorySchemaRegistryClient lenient = new InMemorySchemaRegistryClient(CompatibilityLevel.NONE);
        lenient.register(SUBJECT, Schemas.customerV1());

        lenient.register(SUBJECT, Schemas.customerWithNumericName());

        assertThat(lenient.getVersions(SUBJECT)).containsExactly(1, 2);
    }

    @Test
    void unknownSubjectVersionAndIdFailNamingThem() {
        registry.register(SUBJECT, Schemas.customerV1());

        assertThatThrownBy(() -> registry.getVersions("nobody-value"))
                .isInstanceOf(SubjectNotFoundException.class).hasMessageContaining("'nobody-value'");
        assertThatThrownBy(() -> registry.getLatest("nobody-value"))
                .isInstanceOf(SubjectNotFoundException.class).hasMessageContaining("'nobody-value'");
        assertThatThrownBy(() -> registry.getVersion(SUBJECT, 7))
                .isInstanceOf(VersionNotFoundException.class).hasMessageContaining("Version 7").hasMessageContaining(SUBJECT);
        assertThatThrownBy(() -> registry.getById(99))
                .isInstanceOf(SchemaNotFoundException.class).hasMessageContaining("99");
    }

    @Test
    @Timeout(30)
    void concurrentRegistrationsGetDistinctContiguousIds() throws Exception {
        int count = 64;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Schema schema = Schemas.parse("{'type':'record','name':'R" + i + "','fields':[{'name':'f','type':'int'}]}");
                String subject = "s" + i + "-value";
                tasks.add(() -> registry.register(subject, schema));
            }
            List<Integer> ids = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                ids.add(f.get());
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, count).boxed().toList());
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
