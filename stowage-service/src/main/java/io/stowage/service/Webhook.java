package io.stowage.service;

import java.time.Instant;
import java.util.Set;

/**
 * A registered webhook, as listings show it: its secret masked (the last 4 characters shown).
 *
 * @param eventTypes the {@link FileEvent} types it hears, or {@code "*"} for all
 */
public record Webhook(String id, String url, String maskedSecret, Set<String> eventTypes, Instant createdAt) {

    public Webhook {
        eventTypes = Set.copyOf(eventTypes);
    }

    /** Whether an event of {@code type} goes to this webhook. */
    public boolean hears(String type) {
        return eventTypes.contains("*") || eventTypes.contains(type);
    }

    static String mask(String secret) {
        return "****" + secret.substring(Math.max(0, secret.length() - 4));
    }
}
