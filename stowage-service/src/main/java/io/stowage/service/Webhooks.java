package io.stowage.service;

import io.stowage.StorageException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * The webhooks of a service ({@code service.webhooks()}, decision 0042): URLs that hear the events of chosen
 * types, each delivered by the {@link WebhookWorker} as a JSON POST signed with the webhook's secret
 * ({@link WebhookSignature}), retried with backoff ({@link DeliveryPolicy}) and dead-lettered after the last
 * try. Registering, removing and redelivering are audited ({@code webhook.register}, {@code webhook.remove},
 * {@code webhook.redeliver}, target {@code webhook:<id>}). Thread-safe.
 *
 * <p>A webhook hears events committed after it was registered; secrets are kept to sign and never shown again
 * ({@link Webhook#maskedSecret()}).
 */
public final class Webhooks {

    /** The shortest secret a webhook may have. */
    public static final int MIN_SECRET_LENGTH = 16;

    private final CatalogDatabase catalog;
    private final AuditLog audit;
    private final Clock clock;

    Webhooks(CatalogDatabase catalog, AuditLog audit, Clock clock) {
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Registers {@code url} for events of {@code eventTypes} ({@link FileEvent#TYPES}, or {@code "*"}).
     *
     * @throws StorageException {@code INVALID_ARGUMENT} for a URL that is not absolute http(s) or carries a user
     *     (credentials belong in the secret), a secret shorter than {@value #MIN_SECRET_LENGTH} characters, no
     *     event type or an unknown one
     */
    public Webhook register(String url, String secret, Set<String> eventTypes) {
        URI uri = checkedUrl(url);
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw StorageException.invalidArgument("a webhook secret needs at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw StorageException.invalidArgument("a webhook needs at least one event type (or \"*\")");
        }
        for (String type : eventTypes) {
            if (!"*".equals(type) && !FileEvent.TYPES.contains(type)) {
                throw StorageException.invalidArgument("no event type '" + type + "'; known: "
                        + FileEvent.TYPES.stream().sorted().collect(Collectors.joining(", ")) + ", or *");
            }
        }
        Instant now = clock.instant();
        String id = Ids.next(now.toEpochMilli());
        Set<String> types = new LinkedHashSet<>(eventTypes.stream().sorted().toList());
        catalog.useTransaction("webhook", h -> {
            // Plain JDBC: JDBI would report the secret among the statement's parameters as a flight recorder event.
            Jdbc.update(h, "INSERT INTO webhooks (id, url, secret, event_types, active, created_at)"
                    + " VALUES (?, ?, ?, ?, 1, ?)", id, uri.toString(), secret, String.join(",", types),
                    now.toEpochMilli());
            audit.append(h, StorageService.SYSTEM, "webhook.register", "webhook:" + id, AuditLog.OK, now);
        });
        return new Webhook(id, uri.toString(), Webhook.mask(secret), types, now);
    }

    /** Every webhook, oldest first, secrets masked. */
    public List<Webhook> list() {
        return catalog.withHandle("webhooks", h -> h.createQuery(
                        "SELECT id, url, secret, event_types, created_at FROM webhooks WHERE active = 1 ORDER BY created_at, id")
                .map((rs, ctx) -> new Webhook(rs.getString("id"), rs.getString("url"), Webhook.mask(rs.getString("secret")),
                        types(rs.getString("event_types")), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list());
    }

    /**
     * Removes a webhook with its deliveries: nothing more is sent to it (a try in flight still ends).
     *
     * @throws StorageException {@code NOT_FOUND} for a webhook that does not exist
     */
    public void remove(String webhookId) {
        Instant now = clock.instant();
        catalog.useTransaction("webhook", h -> {
            h.createUpdate("DELETE FROM webhook_deliveries WHERE webhook_id = :id").bind("id", webhookId).execute();
            if (h.createUpdate("DELETE FROM webhooks WHERE id = :id").bind("id", webhookId).execute() == 0) {
                throw notFound(webhookId);
            }
            audit.append(h, StorageService.SYSTEM, "webhook.remove", "webhook:" + webhookId, AuditLog.OK, now);
        });
    }

    /**
     * A page of a webhook's deliveries, oldest first, after {@code cursor} ({@code ""} for the first page).
     *
     * @throws StorageException {@code NOT_FOUND} for a webhook that does not exist, {@code INVALID_ARGUMENT}
     *     for a bad limit or cursor
     */
    public Page<WebhookDelivery> deliveries(String webhookId, String cursor, int limit) {
        Page.checkLimit(limit);
        long after = Page.after(cursor);
        return catalog.withHandle("deliveries", h -> {
            if (h.createQuery("SELECT COUNT(*) FROM webhooks WHERE id = :id").bind("id", webhookId)
                    .mapTo(Long.class).one() == 0) {
                throw notFound(webhookId);
            }
            return Page.of(select(h, "webhook_id = :hook AND id > :after", limit + 1,
                    q -> q.bind("hook", webhookId).bind("after", after)), limit,
                    WebhookDelivery::id);
        });
    }

    /** One delivery. */
    public Optional<WebhookDelivery> delivery(long deliveryId) {
        return catalog.withHandle("deliveries", h -> select(h, "id = :id", 1, q -> q.bind("id", deliveryId)).stream().findFirst());
    }

    /**
     * Sends a delivery's event again, as a new delivery with a fresh set of tries (the old one stays, as history);
     * the event keeps its id, so a receiver can recognise it.
     *
     * @throws StorageException {@code NOT_FOUND} for a delivery that does not exist, {@code INVALID_ARGUMENT} for
     *     one still pending
     */
    public WebhookDelivery redeliver(long deliveryId) {
        Instant now = clock.instant();
        long id = catalog.inTransaction("redeliver", h -> {
            WebhookDelivery old = select(h, "id = :id", 1, q -> q.bind("id", deliveryId)).stream().findFirst()
                    .orElseThrow(() -> StorageException.notFound(null, "no webhook delivery " + deliveryId));
            if (WebhookDelivery.PENDING.equals(old.state())) {
                throw StorageException.invalidArgument("delivery " + deliveryId + " is still pending; it is tried again"
                        + " at " + old.nextAttemptAt());
            }
            long created = insert(h, old.webhookId(), old.eventId(), old.eventType(), now);
            audit.append(h, StorageService.SYSTEM, "webhook.redeliver", "webhook:" + old.webhookId(), AuditLog.OK, now);
            return created;
        });
        return delivery(id).orElseThrow();
    }

    static long insert(Handle h, String webhookId, long eventId, String type, Instant now) {
        return h.createUpdate("INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, state, attempts,"
                        + " next_attempt_at, created_at) VALUES (:hook, :event, :type, 'pending', 0, :at, :at)")
                .bind("hook", webhookId).bind("event", eventId).bind("type", type).bind("at", now.toEpochMilli())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static Set<String> types(String column) {
        return new LinkedHashSet<>(Arrays.asList(column.split(",")));
    }

    private static List<WebhookDelivery> select(Handle h, String where, int limit,
                                                java.util.function.UnaryOperator<org.jdbi.v3.core.statement.Query> bind) {
        return bind.apply(h.createQuery("SELECT id, webhook_id, event_id, event_type, state, attempts, next_attempt_at,"
                        + " last_status, last_error, created_at, delivered_at FROM webhook_deliveries WHERE " + where
                        + " ORDER BY id LIMIT :limit"))
                .bind("limit", limit)
                .map((rs, ctx) -> new WebhookDelivery(rs.getLong("id"), rs.getString("webhook_id"), rs.getLong("event_id"),
                        rs.getString("event_type"), rs.getString("state"), rs.getInt("attempts"),
                        Instant.ofEpochMilli(rs.getLong("next_attempt_at")), rs.getInt("last_status"),
                        rs.getString("last_error") == null ? "" : rs.getString("last_error"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        rs.getObject("delivered_at") == null ? Optional.empty()
                                : Optional.of(Instant.ofEpochMilli(rs.getLong("delivered_at")))))
                .list();
    }

    private static URI checkedUrl(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (java.net.URISyntaxException e) {
            throw StorageException.invalidArgument("a webhook URL must be an absolute http or https URL");
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
                || uri.getHost() == null) {
            throw StorageException.invalidArgument("a webhook URL must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw StorageException.invalidArgument("a webhook URL must not carry a user or password; the secret signs");
        }
        return uri;
    }

    private static StorageException notFound(String webhookId) {
        return StorageException.notFound(null, "no webhook '" + Guards.printableId(webhookId) + "'");
    }
}
