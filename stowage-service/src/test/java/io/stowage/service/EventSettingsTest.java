package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.config.ConfigSources;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.SettingsSection;
import io.stowage.config.StowageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhooks: and events: sections as a process loads them. */
class EventSettingsTest {

    @TempDir
    Path wd;

    private EventSettings load(Map<String, String> env) {
        return ServiceSettings.from(StowageConfig.load(ConfigSources.of(env, wd))).events();
    }

    @Test
    void the_sections_are_declared_and_have_defaults() {
        assertThat(SettingsSection.load()).extracting(SettingsSection::name).contains("webhooks", "events");

        EventSettings s = load(Map.of());

        assertThat(s.policy()).isEqualTo(new DeliveryPolicy(8, Duration.ofSeconds(10), Duration.ofHours(1)));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.readFlushInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.readFlushCount()).isEqualTo(1000);
    }

    @Test
    void the_yaml_gives_them_and_the_environment_overrides_it() throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), """
                webhooks: { attempts: 4, base_delay: 2s, max_delay: 1m, timeout: 3s, poll_interval: 250ms }
                events: { read_flush_interval: 30s, read_flush_count: 50 }
                """);

        EventSettings s = load(Map.of("STOWAGE_WEBHOOK_ATTEMPTS", "6"));

        assertThat(s.policy()).isEqualTo(new DeliveryPolicy(6, Duration.ofSeconds(2), Duration.ofMinutes(1)));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.readFlushInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.readFlushCount()).isEqualTo(50);
    }

    @Test
    void values_that_cannot_work_are_each_named() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> load(Map.of(
                "STOWAGE_WEBHOOK_ATTEMPTS", "0", "STOWAGE_WEBHOOK_BASE_DELAY", "1m", "STOWAGE_WEBHOOK_MAX_DELAY", "10s",
                "STOWAGE_READ_EVENTS_FLUSH_COUNT", "-1")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("webhooks.attempts").contains("webhooks.max_delay")
                .contains("events.read_flush_count");
    }
}
