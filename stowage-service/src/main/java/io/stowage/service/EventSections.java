package io.stowage.service;

import io.stowage.config.SettingsSection;
import io.stowage.spi.SettingSpec;
import io.stowage.spi.SettingSpec.Kind;
import java.util.List;

/**
 * The sections of {@code stowage.yaml} for events (decision 0042), declared as {@link ServiceSections}'s are:
 *
 * <pre>
 * webhooks: { attempts: 8, base_delay: 10s, max_delay: 1h, timeout: 10s, poll_interval: 1s }
 * events:   { read_flush_interval: 10s, read_flush_count: 1000 }
 * </pre>
 */
public final class EventSections {

    static final String WEBHOOKS = "webhooks";
    static final String EVENTS = "events";

    private EventSections() {
    }

    /**
     * {@code webhooks:}: tries per delivery and the backoff between them, the time one try may take, and how
     * often the worker looks for events and deliveries due.
     */
    public static final class Webhooks implements SettingsSection {
        @Override
        public String name() {
            return WEBHOOKS;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.of("attempts", Kind.INT).env("STOWAGE_WEBHOOK_ATTEMPTS").defaultValue("8"),
                    SettingSpec.of("base_delay", Kind.DURATION).env("STOWAGE_WEBHOOK_BASE_DELAY").defaultValue("10s"),
                    SettingSpec.of("max_delay", Kind.DURATION).env("STOWAGE_WEBHOOK_MAX_DELAY").defaultValue("1h"),
                    SettingSpec.of("timeout", Kind.DURATION).env("STOWAGE_WEBHOOK_TIMEOUT").defaultValue("10s"),
                    SettingSpec.of("poll_interval", Kind.DURATION).env("STOWAGE_WEBHOOK_POLL_INTERVAL").defaultValue("1s"));
        }
    }

    /** {@code events:}: how often counted reads are written as {@code file.read} events, by time and by count. */
    public static final class Events implements SettingsSection {
        @Override
        public String name() {
            return EVENTS;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.of("read_flush_interval", Kind.DURATION).env("STOWAGE_READ_EVENTS_FLUSH_INTERVAL")
                            .defaultValue("10s"),
                    SettingSpec.of("read_flush_count", Kind.INT).env("STOWAGE_READ_EVENTS_FLUSH_COUNT")
                            .defaultValue("1000"));
        }
    }
}
