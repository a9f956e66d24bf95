package io.pulse.api.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.staticfiles.Location;
import io.pulse.common.config.TenantIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * {@code GET /dashboard/{tenant}}: the live dashboard, a static HTML page with its script and styles
 * (served from {@code /assets/dashboard/}) and Chart.js from its webjar (under {@code /webjars/}); no
 * front-end build. The page is public: it carries no data; its calls to the API carry the bearer token
 * that the page reads from the URL fragment ({@code #token=}).
 */
public final class DashboardController {
    /** Where the page's script and styles are served. */
    public static final String ASSETS_PATH = "/assets/dashboard";
    private static final String RESOURCES = "/pulse-dashboard";
    private static final String CHART_JS_POM = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    /** Same-origin only: no inline script, no CDN, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String page;

    /** Reads the page and the Chart.js webjar's version once; fails at start-up if either is missing. */
    public DashboardController() {
        this.page = resource(RESOURCES + "/index.html")
                .replace("{{chartJs}}", chartJsPath())
                .replace("{{assets}}", ASSETS_PATH);
    }

    /** The page route, its assets and the webjars. */
    public void register(JavalinConfig config) {
        config.routes.get("/dashboard/{tenant}", this::getPage);
        config.staticFiles.add(files -> {
            files.hostedPath = ASSETS_PATH;
            files.directory = RESOURCES + "/assets";
            files.location = Location.CLASSPATH;
            files.headers = java.util.Map.of(Header.CACHE_CONTROL, "no-cache", Header.X_CONTENT_TYPE_OPTIONS, "nosniff");
        });
        config.staticFiles.enableWebjars();
    }

    public void getPage(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        if (!TenantIds.isValid(tenant)) {
            throw new BadRequestResponse("tenant '" + tenant + "' is not a valid tenant id (" + TenantIds.RULE + ")");
        }
        ctx.header(Header.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .header(Header.REFERRER_POLICY, "no-referrer")
                .header(Header.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .header(Header.CACHE_CONTROL, "no-cache")
                .html(page.replace("{{tenant}}", tenant)); // a valid tenant id needs no escaping
    }

    /** The path of Chart.js in its webjar, e.g. {@code /webjars/chart.js/4.5.1/dist/chart.umd.min.js}. */
    static String chartJsPath() {
        Properties pom = new Properties();
        try (InputStream in = DashboardController.class.getResourceAsStream(CHART_JS_POM)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard needs Chart.js: the webjar org.webjars.npm:chart.js is not on the classpath");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CHART_JS_POM, e);
        }
        return "/webjars/chart.js/" + pom.getProperty("version") + "/dist/chart.umd.min.js";
    }

    private static String resource(String path) {
        try (InputStream in = DashboardController.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard page " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
