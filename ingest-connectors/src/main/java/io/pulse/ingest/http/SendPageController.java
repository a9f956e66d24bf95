package io.pulse.ingest.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Serves the page to send an event by hand: plain HTML and JavaScript from the classpath, no build step. */
final class SendPageController {
    private final String html = resource("send.html");
    private final String script = resource("send.js");

    void page(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(html);
    }

    void script(Context ctx) {
        ctx.contentType("text/javascript; charset=utf-8").result(script);
    }

    private static String resource(String name) {
        try (InputStream in = SendPageController.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the send page's resource '" + name + "' is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the send page's resource '" + name + "'", e);
        }
    }
}
