package io.pulse.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.pulse.api.InsightsApi;
import io.pulse.api.insights.InsightsQueries;
import io.pulse.api.live.LiveHub;
import io.pulse.api.live.LiveStreamController;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document and the app's routes stay in step: every registered /api/v1 route is documented and every
 * documented route is registered, with the answers every caller must be ready for.
 */
class OpenApiDocumentTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private final ObjectMapper json = new ObjectMapper();
    private Javalin app;
    private JsonNode document;

    @BeforeEach
    void setUp() throws Exception {
        // The app as the pipeline wires it: insights routes, then the live stream, dashboard and this document.
        app = Javalin.create(cfg -> {
            InsightsApi.configureServerUnguarded(cfg);
            InsightsApi.configure(cfg, unusedQueries(), Clock.systemUTC());
            InsightsApi.configureLive(cfg, new LiveHub(), LiveStreamController.DEFAULT_HEARTBEAT);
        });
        try (InputStream in = OpenApiController.class.getResourceAsStream(OpenApiController.RESOURCE)) {
            assertThat(in).as(OpenApiController.RESOURCE).isNotNull();
            document = json.readTree(in);
        }
    }

    @AfterEach
    void tearDown() {
        app.stop();
    }

    @Test
    void documentsExactlyTheRegisteredApiRoutes() {
        Set<String> registered = new TreeSet<>();
        for (var parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint e = parsed.endpoint;
            if (e.path.startsWith("/api/v1/") && !e.method.name().equals("HEAD") && !e.method.name().equals("OPTIONS")) {
                registered.add(e.method.name() + " " + e.path);
            }
        }
        Set<String> documented = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (HTTP_METHODS.contains(method)) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));

        assertThat(registered).as("routes the app registers under /api/v1").isNotEmpty()
                .contains("GET /api/v1/tenants/{tenant}/stream", "GET /api/v1/openapi.json");
        assertThat(documented).as("routes in %s (left: documented, right: registered)", OpenApiController.RESOURCE)
                .isEqualTo(registered);
    }

    @Test
    void isOpenApi31WithBearerSecurityAndTheAnswersOfEveryTenantRoute() {
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        JsonNode bearer = document.at("/components/securitySchemes/bearerAuth");
        assertThat(bearer.get("type").asText()).isEqualTo("http");
        assertThat(bearer.get("scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("bearerAuth")).isTrue();

        document.get("paths").properties().forEach(path -> {
            JsonNode get = path.getValue().get("get");
            if (path.getKey().startsWith("/api/v1/tenants/")) {
                assertThat(get.get("responses").fieldNames()).toIterable().as(path.getKey())
                        .contains("200", "400", "401", "403", "429", "503");
                assertThat(get.get("parameters").findValuesAsText("$ref")).as(path.getKey()).contains("#/components/parameters/tenant");
            } else {
                assertThat(get.get("security")).as("%s is public", path.getKey()).isEmpty();
            }
        });
    }

    @Test
    void everyValueSchemaCarriesFreshnessAndEveryWindowSaysWhetherItIsFinal() {
        JsonNode schemas = document.at("/components/schemas");
        for (String response : List.of("MetricsResponse", "TopProductsResponse", "ActiveCustomersResponse", "ProfileResponse",
                "AlertsResponse", "FreshnessResponse", "LiveMetrics")) {
            assertThat(schemas.at("/" + response + "/properties/freshness/$ref").asText()).as(response)
                    .isEqualTo("#/components/schemas/Freshness");
        }
        for (String window : List.of("MetricsWindow", "TopProductsWindow", "ActiveCustomersDay", "LiveMetrics")) {
            assertThat(schemas.at("/" + window + "/properties/final/type").asText()).as(window).isEqualTo("boolean");
            assertThat(schemas.get(window).get("required").toString()).as(window).contains("\"final\"");
        }
        assertThat(schemas.at("/Freshness/properties").fieldNames()).toIterable()
                .contains("newestEventTime", "ageSeconds", "servedBy", "stale", "lagRecords");
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
        }
    }

    @Test
    void isServedPubliclyAsJson() throws Exception {
        app.start("127.0.0.1", 0);
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(json.readTree(r.body())).isEqualTo(document);
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                if (f.getKey().equals("$ref")) {
                    refs.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

    /** Routes are only registered here, never called. */
    private static InsightsQueries unusedQueries() {
        return (InsightsQueries) Proxy.newProxyInstance(InsightsQueries.class.getClassLoader(), new Class<?>[] {InsightsQueries.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "toString": return "unusedQueries";
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: break;
                    }
                    throw new UnsupportedOperationException("not called in this test: " + method);
                });
    }
}
