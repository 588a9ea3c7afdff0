package io.stowage.service;

import java.time.Instant;
import java.util.Optional;

/**
 * One event on its way to one webhook.
 *
 * @param id the delivery's id, sent as the {@code Stowage-Delivery-Id} header
 * @param eventId the event's id, sent as {@code Stowage-Event-Id}: the same for a redelivery, so a receiver
 *     can recognise what it has seen
 * @param state {@link #PENDING} (to try, or tried and waiting for its next try at {@code nextAttemptAt}),
 *     {@link #DELIVERED} (a 2xx answer) or {@link #DEAD} (every try failed; see {@link Webhooks#redeliver})
 * @param attempts tries made so far
 * @param lastStatus the HTTP status of the last try, 0 when it got no answer (or none was made)
 * @param lastError why the last try failed, {@code ""} when it did not
 */
public record WebhookDelivery(long id, String webhookId, long eventId, String eventType, String state, int attempts,
                              Instant nextAttemptAt, int lastStatus, String lastError, Instant createdAt,
                              Optional<Instant> deliveredAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD = "dead";
}
