package io.pulse.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RestSchemaRegistryClientTest {
    private static final String SUBJECT = "customers-value";

    private final StubRegistryServer server;
    private final RestSchemaRegistryClient client;

    RestSchemaRegistryClientTest() throws Exception {
        server = new StubRegistryServer();
        client = new RestSchemaRegistryClient(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersByPostingTheSchemaTextToTheSubjectsVersions() throws Exception {
        server.answer(200, "{'id': 21}");

        int id = client.register(SUBJECT, Schemas.customerV1());

        assertThat(id).isEqualTo(21);
        assertThat(server.method).isEqualTo("POST");
        assertThat(server.rawPath).isEqualTo("/subjects/customers-value/versions");
        assertThat(server.contentType).isEqualTo("application/vnd.schemaregistry.v1+json");
        String sent = new ObjectMapper().readTree(server.requestBody).get("schema").asText();
        assertThat(new Schema.Parser().parse(sent)).isEqualTo(Schemas.customerV1());
    }

    @Test
    void encodesSubjectsAsOnePathSegment() {
        server.answer(200, "[1]");

        client.getVersions("odd/subject name+1");

        assertThat(server.rawPath).isEqualTo("/subjects/odd%2Fsubject%20name%2B1/versions");
    }

    @Test
    void keepsAPathPrefixOfTheBaseUrl() {
        server.answer(200, "[1]");

        new RestSchemaRegistryClient(URI.create(server.url() + "/ccompat/")).getVersions(SUBJECT);

        assertThat(server.rawPath).isEqualTo("/ccompat/subjects/customers-value/versions");
    }

    @Test
    void readsASchemaById() {
        server.answer(200, new ObjectMapper().createObjectNode().put("schema", Schemas.customerV2().toString()).toString());

        assertThat(client.getById(3)).isEqualTo(Schemas.customerV2());
        assertThat(server.method).isEqualTo("GET");
        assertThat(server.rawPath).isEqualTo("/schemas/ids/3");
    }

    @Test
    void readsVersionsAndOneVersion() {
        server.answer(200, "[1, 2, 5]");
        assertThat(client.getVersions(SUBJECT)).containsExactly(1, 2, 5);

        server.answer(200, new ObjectMapper().createObjectNode().put("subject", SUBJECT).put("version", 2).put("id", 8)
                .put("schema", Schemas.customerV2().toString()).toString());
        assertThat(client.getVersion(SUBJECT, 2))
                .isEqualTo(new SchemaRegistryClient.RegisteredSchema(SUBJECT, 2, 8, Schemas.customerV2()));
        assertThat(server.rawPath).isEqualTo("/subjects/customers-value/versions/2");

        assertThat(client.getLatest(SUBJECT).id()).isEqualTo(8);
        assertThat(server.rawPath).isEqualTo("/subjects/customers-value/versions/latest");
    }

    @Test
    void checksCompatibilityAgainstTheLatestVersion() {
        server.answer(200, "{'is_compatible': false}");
        assertThat(client.isCompatible(SUBJECT, Schemas.customerV2())).isFalse();
        assertThat(server.method).isEqualTo("POST");
        assertThat(server.rawPath).isEqualTo("/compatibility/subjects/customers-value/versions/latest");

        server.answer(200, "{'is_compatible': true}");
        assertThat(client.isCompatible(SUBJECT, Schemas.customerV2())).isTrue();
    }

    @Test
    void aSubjectWithoutVersionsIsCompatibleWithAnything() {
        server.answer(404, "{'error_code': 40401, 'message': 'Subject not found.'}");

        assertThat(client.isCompatible(SUBJECT, Schemas.customerV2())).isTrue();
    }

    @Test
    void mapsSubjectNotFound() {
        server.answer(404, "{'error_code': 40401, 'message': 'Subject customers-value not found.'}");

        assertThatThrownBy(() -> client.getVersions(SUBJECT))
                .isInstanceOf(SubjectNotFoundException.class)
                .hasMessageContaining("'" + SUBJECT + "'")
                .hasMessageContaining("Subject customers-value not found.")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40401));
    }

    @Test
    void mapsVersionNotFound() {
        server.answer(404, "{'error_code': 40402, 'message': 'Version 9 not found.'}");

        assertThatThrownBy(() -> client.getVersion(SUBJECT, 9))
                .isInstanceOf(VersionNotFoundException.class)
                .hasMessageContaining("Version 9 of subject '" + SUBJECT + "'");
    }

    @Test
    void mapsSchemaNotFoundNamingTheId() {
        server.answer(404, "{'error_code': 40403, 'message': 'Schema 77 not found'}");

        assertThatThrownBy(() -> client.getById(77))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("Schema id 77")
                .hasMessageContaining("Schema 77 not found");
    }

    @Test
    void mapsAnIncompatibleRegistrationQuotingTheRegistry() {
        server.answer(409, "{'error_code': 409, 'message': 'READER_FIELD_MISSING_DEFAULT birth_year'}");

        assertThatThrownBy(() -> client.register(SUBJECT, Schemas.customerWithRequiredField()))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("'" + SUBJECT + "'")
                .hasMessageContaining("birth_year");
    }

    @Test
    void mapsAnInvalidSchema() {
        server.answer(422, "{'error_code': 42201, 'message': 'Either the input schema or one of its references is invalid'}");

        assertThatThrownBy(() -> client.register(SUBJECT, Schemas.customerV1()))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("'" + SUBJECT + "'")
                .hasMessageContaining("input schema");
    }

    @Test
    void reportsOtherFailuresWithStatusAndBody() {
        server.answer(502, "<html>Bad gateway</html>");

        assertThatThrownBy(() -> client.getById(1))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(server.url().toString())
                .hasMessageContaining("HTTP 502")
                .hasMessageContaining("Bad gateway")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(502));
    }

    @Test
    void reportsAnUnreachableRegistryNamingItsUrl() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + freePort);

        assertThatThrownBy(() -> new RestSchemaRegistryClient(nobody).getById(1))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining(nobody.toString())
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(SchemaRegistryException.NO_RESPONSE));
    }

    @Test
    void givesUpOnASilentRegistryAfterItsTimeout() {
        server.hang();
        RestSchemaRegistryClient impatient = RestSchemaRegistryClient.builder(server.url()).timeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(() -> impatient.getById(1))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("did not answer")
                .hasMessageContaining("PT0.3S");
    }

    @Test
    void sendsBasicAuthentication() {
        server.answer(200, "[1]");

        RestSchemaRegistryClient.builder(server.url()).basicAuth("key", "secret").build().getVersions(SUBJECT);

        assertThat(server.authorization).isEqualTo("Basic a2V5OnNlY3JldA==");
    }

    @Test
    void rejectsUnusableConfigurationNamingIt() {
        assertThatThrownBy(() -> new RestSchemaRegistryClient(URI.create("http://key:secret@registry:8081")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("basicAuth")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret@"));
        assertThatThrownBy(() -> new RestSchemaRegistryClient(URI.create("ftp://registry")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://registry");
        assertThatThrownBy(() -> RestSchemaRegistryClient.builder(server.url()).timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> RestSchemaRegistryClient.builder(server.url()).basicAuth("key", null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("basic auth");
    }
}
