package io.pulse.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.pulse.api.InsightsApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard page and everything it loads, over real HTTP, from this server only. */
class DashboardControllerTest {
    private static final Pattern SOURCES = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin app;

    @BeforeEach
    void start() {
        DashboardController dashboard = new DashboardController();
        app = Javalin.create(cfg -> {
            InsightsApi.configureServerUnguarded(cfg);
            dashboard.register(cfg);
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void servesThePageOfATenantWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> r = get("/dashboard/contoso");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.headers().firstValue("Content-Security-Policy")).contains(DashboardController.CONTENT_SECURITY_POLICY);
        assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(r.body()).contains("<meta name=\"pulse-tenant\" content=\"contoso\">")
                .contains("<html lang=\"en\">").doesNotContain("{{");
    }

    @Test
    void everythingThePageLoadsComesFromThisServer() throws Exception {
        String page = get("/dashboard/contoso").body();
        Matcher m = SOURCES.matcher(page);
        int loaded = 0;
        while (m.find()) {
            String src = m.group(1);
            if (src.startsWith("#")) {
                continue;
            }
            assertThat(src).as("no CDN, no other origin").startsWith("/");
            HttpResponse<String> r = get(src);
            assertThat(r.statusCode()).as("GET %s", src).isEqualTo(200);
            loaded++;
        }
        assertThat(loaded).as("stylesheet, Chart.js and the page's script").isEqualTo(3);
        assertThat(page).contains(DashboardController.chartJsPath());
        assertThat(get(DashboardController.chartJsPath()).body()).contains("Chart");
        assertThat(get(DashboardController.ASSETS_PATH + "/dashboard.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
    }

    @Test
    void refusesAnInvalidTenant() throws Exception {
        HttpResponse<String> r = get("/dashboard/Not_A_Tenant");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("not a valid tenant id");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
