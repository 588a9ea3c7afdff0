package io.stowage.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the outbox and delivers to webhooks (decision 0042), every {@code webhooks.poll_interval}:
 * <ol>
 *   <li><b>Fan-out.</b> Each unpublished event is claimed by a conditional UPDATE of its {@code published_at};
 *       the one node whose UPDATE changed the row writes, in the same transaction, one pending delivery per
 *       webhook that hears its type.
 *   <li><b>Delivery.</b> Each pending delivery whose time has come is claimed by raising its attempt count
 *       with a conditional UPDATE (on the count read and the due time), which also moves its next time a lease
 *       ahead: of several nodes sharing a catalog exactly one makes a given attempt, and an attempt of a node
 *       that died is made again once the lease is over. The event goes as a JSON POST with
 *       {@code Stowage-Signature}, {@code Stowage-Event-Id}, {@code Stowage-Event-Type} and
 *       {@code Stowage-Delivery-Id}; a 2xx answer delivers it, anything else waits the policy's backoff, and
 *       the last allowed failure makes it dead.
 * </ol>
 * One attempt at a time per worker; every time is told by the service's clock, so tests move it instead of
 * waiting.
 */
final class WebhookWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;

    private final CatalogDatabase catalog;
    private final EventOutbox events;
    private final EventSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private volatile ScheduledFuture<?> polling;

    WebhookWorker(CatalogDatabase catalog, EventOutbox events, EventSettings settings, Clock clock) {
        this.catalog = catalog;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Polls on {@code executor} every poll interval until {@link #close()}. */
    void start(ScheduledExecutorService executor) {
        long every = settings.pollInterval().toMillis();
        polling = executor.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // The catalog away: the next poll tries again; nothing is lost, everything waits in the catalog.
            LOG.warn("the webhook worker could not read the catalog: {}", e.getMessage());
        }
    }

    /** Fans out what is unpublished, then makes every attempt that is due; returns how many it made. */
    int runOnce() {
        fanOut();
        int made = 0;
        for (Due due : catalog.withHandle("webhooks", h -> due(h, clock.instant()))) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (claim(due)) {
                attempt(due);
                made++;
            }
        }
        return made;
    }

    private void fanOut() {
        List<FileEvent> unpublished = catalog.withHandle("outbox", h -> events.unpublished(h, BATCH));
        if (unpublished.isEmpty()) {
            return;
        }
        record Hook(String id, Set<String> types) {
        }
        List<Hook> hooks = catalog.withHandle("webhooks", h -> h.createQuery(
                "SELECT id, event_types FROM webhooks WHERE active = 1").map((rs, ctx) -> new Hook(rs.getString("id"),
                Webhooks.types(rs.getString("event_types")))).list());
        for (FileEvent event : unpublished) {
            Instant now = clock.instant();
            catalog.useTransaction("outbox", h -> {
                if (events.claim(h, event.id(), now)) {
                    for (Hook hook : hooks) {
                        if (hook.types().contains("*") || hook.types().contains(event.type())) {
                            Webhooks.insert(h, hook.id(), event.id(), event.type(), now);
                        }
                    }
                }
            });
        }
    }

    /** A delivery due, with what its attempt needs. */
    private record Due(long id, int attempts, long nextAttemptAt, String webhookId, String url, String secret,
                       FileEvent event) {
    }

    private static List<Due> due(org.jdbi.v3.core.Handle h, Instant now) {
        return h.createQuery("SELECT d.id, d.attempts, d.next_attempt_at, d.webhook_id, w.url, w.secret, e.id AS event_id,"
                        + " e.type, e.owner_id, e.file_id, e.payload, e.created_at FROM webhook_deliveries d"
                        + " JOIN webhooks w ON w.id = d.webhook_id JOIN event_outbox e ON e.id = d.event_id"
                        + " WHERE d.state = 'pending' AND d.next_attempt_at <= :now ORDER BY d.next_attempt_at, d.id"
                        + " LIMIT :limit")
                .bind("now", now.toEpochMilli()).bind("limit", BATCH)
                .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getInt("attempts"), rs.getLong("next_attempt_at"),
                        rs.getString("webhook_id"), rs.getString("url"), rs.getString("secret"),
                        new FileEvent(rs.getLong("event_id"), rs.getString("type"), orEmpty(rs.getString("owner_id")),
                                orEmpty(rs.getString("file_id")), Instant.ofEpochMilli(rs.getLong("created_at")),
                                Json.read(rs.getString("payload")))))
                .list();
    }

    /** Raises the attempt count if no one has since we read it: true for the one node that makes this attempt. */
    private boolean claim(Due due) {
        Instant lease = clock.instant().plus(settings.timeout()).plusSeconds(30);
        return catalog.inTransaction("webhooks", h -> h.createUpdate("UPDATE webhook_deliveries"
                        + " SET attempts = attempts + 1, next_attempt_at = :lease"
                        + " WHERE id = :id AND state = 'pending' AND attempts = :attempts AND next_attempt_at = :due")
                .bind("lease", lease.toEpochMilli()).bind("id", due.id()).bind("attempts", due.attempts())
                .bind("due", due.nextAttemptAt()).execute() == 1);
    }

    private void attempt(Due due) {
        int attempt = due.attempts() + 1;
        int status = 0;
        String error;
        try {
            byte[] body = body(due.event());
            HttpRequest request = HttpRequest.newBuilder(URI.create(due.url())).timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Stowage-Webhooks")
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(due.secret(), clock.instant(), body))
                    .header("Stowage-Event-Id", Long.toString(due.event().id()))
                    .header("Stowage-Event-Type", due.event().type())
                    .header("Stowage-Delivery-Id", Long.toString(due.id()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            error = status / 100 == 2 ? null : "answered HTTP " + status;
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            // Stopping: the claim's lease runs out and this attempt is made again, here or elsewhere.
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        settle(due, attempt, status, error);
    }

    private void settle(Due due, int attempt, int status, String error) {
        Instant now = clock.instant();
        boolean dead = error != null && attempt >= settings.policy().attempts();
        String state = error == null ? WebhookDelivery.DELIVERED : dead ? WebhookDelivery.DEAD : WebhookDelivery.PENDING;
        long next = error == null || dead ? now.toEpochMilli()
                : now.plus(settings.policy().delayAfter(attempt)).toEpochMilli();
        catalog.useTransaction("webhooks", h -> h.createUpdate("UPDATE webhook_deliveries SET state = :state,"
                        + " next_attempt_at = :next, last_status = :status, last_error = :error, delivered_at = :delivered"
                        + " WHERE id = :id AND attempts = :attempt")
                .bind("state", state).bind("next", next).bind("status", status)
                .bind("error", error == null ? null : error.substring(0, Math.min(error.length(), 500)))
                .bind("delivered", error == null ? (Long) now.toEpochMilli() : null)
                .bind("id", due.id()).bind("attempt", attempt).execute());
        if (dead) {
            LOG.warn("webhook {} gave up on event {} ({}) after {} tries, last: {}", due.webhookId(), due.event().id(),
                    due.event().type(), attempt, error);
        }
    }

    /** The JSON a webhook receives: the event as listeners hear it. */
    static byte[] body(FileEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", event.id());
        json.put("type", event.type());
        json.put("owner", event.owner());
        json.put("file_id", event.fileId());
        json.put("at", event.at().toString());
        json.put("data", event.data());
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of strings is always JSON", e);
        }
    }

    /** Stops polling; an attempt in flight ends (its executor decides how long to wait). */
    @Override
    public void close() {
        ScheduledFuture<?> p = polling;
        if (p != null) {
            p.cancel(false);
        }
        http.shutdown();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
