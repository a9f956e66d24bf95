package io.pulse.api.auth;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.pulse.api.InsightsApi;
import io.pulse.api.live.LiveHub;
import io.pulse.api.insights.InsightsQueries;
import io.pulse.api.insights.MetricsQuery;
import io.pulse.api.insights.TopProductsQuery;
import io.pulse.api.query.Readiness;
import io.pulse.api.routing.Answer;
import io.pulse.api.routing.IncomingRequest;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The insights API as served, over real HTTP on a random port: {@link InsightsApi#configureServer(JavalinConfig,
 * ApiSecurity)} and {@link InsightsApi#configure} (the real routes), plus one test probe that records every
 * request that got past the guards and matched a route (a {@code beforeMatched} handler runs right before the
 * route's own handler).
 */
public final class SecuredApp implements AutoCloseable {
    /** The header that names a request, so the probe can say whether that request reached its handler. */
    public static final String PROBE_HEADER = "X-Test-Request";

    private final Javalin app;
    private final Set<String> reachedHandler = ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SecuredApp(ApiSecurity security, Clock clock, Consumer<JavalinConfig> testRoutes) {
        app = Javalin.create(config -> {
            InsightsApi.configureServer(config, security);
            routes(config, clock);
            testRoutes.accept(config);
            config.routes.beforeMatched(ctx -> {
                String id = ctx.header(PROBE_HEADER);
                if (id != null) {
                    reachedHandler.add(id);
                }
            });
        });
    }

    /** The app's real routes. At integration, this is the one line to follow InsightsApi.configure's signature. */
    private static void routes(JavalinConfig config, Clock clock) {
        InsightsApi.configure(config, new NoData(), clock);
        InsightsApi.configureLive(config, new LiveHub(), Duration.ofSeconds(15));
    }

    public static SecuredApp start(ApiSecurity security, Clock clock) {
        return start(security, clock, config -> { });
    }

    /** With test-only routes besides the real ones (under paths no real route uses). */
    public static SecuredApp start(ApiSecurity security, Clock clock, Consumer<JavalinConfig> testRoutes) {
        SecuredApp secured = new SecuredApp(security, clock, testRoutes);
        secured.app.start("127.0.0.1", 0);
        return secured;
    }

    /** API settings as PulseConfig resolves them from keys (local profile), with {@code keys} on top. */
    public static PulseConfig.Api api(Map<String, String> keys) {
        Map<String, String> overrides = new HashMap<>(keys);
        overrides.putIfAbsent(ConfigKeys.DATA_DIR, System.getProperty("java.io.tmpdir") + "/pulse-auth-tests");
        return PulseConfig.load(Map.of(), Map.of(), overrides).api();
    }

    /** OIDC settings for {@link TestIssuer}'s tokens with keys from {@code jwksUrl}. */
    public static PulseConfig.Api oidcApi(String jwksUrl, int requestsPerMinute) {
        return api(Map.of(ConfigKeys.API_AUTH_MODE, "oidc",
                ConfigKeys.API_AUTH_ISSUER, TestIssuer.ISSUER,
                ConfigKeys.API_AUTH_AUDIENCE, TestIssuer.AUDIENCE,
                ConfigKeys.API_AUTH_JWKS_URL, jwksUrl,
                ConfigKeys.API_RATE_LIMIT, Integer.toString(requestsPerMinute)));
    }

    public int port() {
        return app.port();
    }

    /** Every registered HTTP route under /api/v1/tenants (method and path pattern), as the router holds them. */
    public List<Route> tenantRoutes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(p -> p.endpoint)
                .filter(e -> e.method.isHttpMethod() && e.path.startsWith("/api/v1/tenants/"))
                .map(e -> new Route(e.method, e.path))
                .distinct()
                .toList();
    }

    /** GET with an optional bearer token (null: none). */
    public HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder b = request(pathAndQuery).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient client() {
        return http;
    }

    /** Whether the request with this probe id got to its route's handler. */
    public boolean reachedHandler(String probeId) {
        return reachedHandler.contains(probeId);
    }

    @Override
    public void close() {
        app.stop();
    }

    /** A registered route. */
    public record Route(HandlerType method, String pattern) {
        /** The path for {@code tenant}, other path parameters filled with plausible values. */
        public String pathFor(String tenant) {
            return pattern.replace("{tenant}", tenant).replace("<tenant>", tenant)
                    .replaceAll("[{<]customerId[}>]", "c-000042")
                    .replaceAll("[{<][^}>]+[}>]", "x1")
                    .replace("*", "x");
        }

        public boolean isStream() {
            return pattern.endsWith("/stream");
        }

        @Override
        public String toString() {
            return method.name() + " " + pattern;
        }
    }

    /** State with no events in it: the guards, not the data, are under test. */
    private static final class NoData implements InsightsQueries {
        private static Answer nothing(String tenant) {
            return new Answer.Local(Map.of("tenant", tenant));
        }

        @Override
        public Answer metrics(IncomingRequest request, MetricsQuery query) {
            return nothing(query.tenant());
        }

        @Override
        public Answer topProducts(IncomingRequest request, TopProductsQuery query) {
            return nothing(query.tenant());
        }

        @Override
        public Answer activeCustomers(IncomingRequest request, String tenant, Instant from, Instant to) {
            return nothing(tenant);
        }

        @Override
        public Answer profile(IncomingRequest request, String tenant, String customerId) {
            return nothing(tenant);
        }

        @Override
        public Answer alerts(IncomingRequest request, String tenant, int limit) {
            return nothing(tenant);
        }

        @Override
        public Answer freshness(IncomingRequest request, String tenant) {
            return nothing(tenant);
        }

        @Override
        public Readiness readiness() {
            return new Readiness(true, "RUNNING");
        }
    }
}
