package io.stowage.service;

import io.stowage.config.ConfigSection;
import io.stowage.config.StowageConfig;
import java.time.Duration;
import java.util.List;

/**
 * The {@code webhooks:} and {@code events:} sections ({@link EventSections}) as the service uses them.
 *
 * @param policy tries and backoff of a delivery
 * @param timeout how long one try may take (connecting and answering)
 * @param pollInterval how often the worker looks for events to fan out and deliveries due
 * @param readFlushInterval how often counted reads are written as {@code file.read} events
 * @param readFlushCount after how many reads they are written at the latest
 */
public record EventSettings(DeliveryPolicy policy, Duration timeout, Duration pollInterval, Duration readFlushInterval,
                            int readFlushCount) {

    static EventSettings from(StowageConfig config, List<String> problems) {
        ConfigSection hooks = config.section(EventSections.WEBHOOKS);
        ConfigSection events = config.section(EventSections.EVENTS);
        int attempts = (int) number(hooks, "attempts", 8, problems);
        Duration base = duration(hooks, "base_delay", Duration.ofSeconds(10), problems);
        Duration max = duration(hooks, "max_delay", Duration.ofHours(1), problems);
        if (max.compareTo(base) < 0) {
            problems.add("webhooks.max_delay: must not be shorter than webhooks.base_delay (" + base + ")");
            max = base;
        }
        return new EventSettings(new DeliveryPolicy(attempts, base, max),
                duration(hooks, "timeout", Duration.ofSeconds(10), problems),
                duration(hooks, "poll_interval", Duration.ofSeconds(1), problems),
                duration(events, "read_flush_interval", Duration.ofSeconds(10), problems),
                (int) number(events, "read_flush_count", 1000, problems));
    }

    private static long number(ConfigSection section, String key, long otherwise, List<String> problems) {
        long n = section.get(key).filter(v -> !v.isBlank()).isPresent() ? section.getLong(key) : otherwise;
        if (n < 1 || n > Integer.MAX_VALUE) {
            problems.add(section.name() + "." + key + ": must be a positive whole number, was " + n);
            return otherwise;
        }
        return n;
    }

    static Duration duration(ConfigSection section, String key, Duration otherwise, List<String> problems) {
        Duration d = section.get(key).filter(v -> !v.isBlank()).isPresent() ? section.getDuration(key) : otherwise;
        if (d.isNegative() || d.isZero()) {
            problems.add(section.name() + "." + key + ": must be a positive duration such as 10s, was " + d);
            return otherwise;
        }
        return d;
    }
}
