package io.pulse.ingest.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.pulse.ingest.delivery.EventDelivery;
import io.pulse.ingest.source.IngestSources;
import java.time.Clock;
import java.util.List;

/**
 * The HTTP ingest routes (events, Event Grid, the send page) and the admin routes, for a Javalin app of
 * their own ({@link #create}) or one the launcher shares with the insights API ({@link #configure}).
 */
public final class IngestHttp {
    public static final String EVENTS_PATH = "/ingest/v1/events";
    public static final String EVENT_GRID_PATH = "/ingest/v1/eventgrid";
    public static final String CREDENTIAL_PATH = "/ingest/v1/credential";
    public static final String SEND_PAGE_PATH = "/ingest/send";
    public static final String ADMIN_SOURCES_PATH = "/admin/v1/sources";
    /** The header that carries a source's key, or the admin key. */
    public static final String KEY_HEADER = IngestController.KEY_HEADER;

    private IngestHttp() {
    }

    /** An unstarted app serving only ingest and admin. */
    public static Javalin create(EventDelivery delivery, IngestHttpSettings settings, IngestSources sources, Clock clock) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            configure(config, delivery, settings, sources, clock);
            IngestErrors.registerFallback(config);
        });
    }

    /**
     * Adds the ingest and admin routes and their error answers to an app; registers one {@link HttpSource} per
     * configured key with {@code sources} (so the admin endpoints can pause it) and returns them. Error answers
     * of other routes are left to the app (this registers handlers for its own exception type only).
     */
    public static List<HttpSource> configure(JavalinConfig config, EventDelivery delivery, IngestHttpSettings settings,
                                             IngestSources sources, Clock clock) {
        List<HttpSource> httpSources = settings.sourceKeys().stream().map(HttpSource::new).toList();
        httpSources.forEach(sources::register);
        Credentials credentials = new Credentials(httpSources, settings.adminKey());
        IngestController ingest = new IngestController(credentials, new EventIntake(settings.maxEventsPerRequest(), clock),
                new TenantQuotas(settings.tenantEventsPerSecond(), settings.tenantBurst(), clock), delivery, settings);
        AdminController admin = new AdminController(credentials, sources, delivery);
        SendPageController page = new SendPageController();

        config.routes.post(EVENTS_PATH, ingest::postEvents);
        config.routes.options(EVENTS_PATH, ingest::webhookOptions);
        config.routes.post(EVENT_GRID_PATH, ingest::postEventGrid);
        config.routes.get(CREDENTIAL_PATH, ingest::credential);
        config.routes.get(SEND_PAGE_PATH, page::page);
        config.routes.get(SEND_PAGE_PATH + ".js", page::script);
        config.routes.get(ADMIN_SOURCES_PATH, admin::list);
        config.routes.post(ADMIN_SOURCES_PATH + "/{kind}/{name}/pause", admin::pause);
        config.routes.post(ADMIN_SOURCES_PATH + "/{kind}/{name}/resume", admin::resume);
        IngestErrors.register(config);
        return httpSources;
    }
}
