package io.pulse.ingest.http;

/**
 * Why one event of a request was refused, as the client gets it.
 *
 * @param index   the event's position in the request (0 for a single CloudEvent); absent when the whole document is refused
 * @param eventId the id the client gave the event, when it gave one that could be read
 * @param field   the offending field, in the request's own naming, relative to the event ({@code payload.lineItems[1].quantity})
 * @param path    the same as a JSON path from the document root ({@code $[3].payload.lineItems[1].quantity})
 * @param rule    a stable id of the rule broken ({@code field.type}, {@code purchase.total-matches-lines}, ...)
 * @param message what was wrong, for people
 */
public record EventProblem(Integer index, String eventId, String field, String path, String rule, String message) {
}
