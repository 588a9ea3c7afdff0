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

/** The service's settings as a process loads them: stowage.yaml sections, .env, environment, defaults. */
class ServiceSettingsTest {

    private static final String PASSWORD = "hunter2-never-shown";

    @TempDir
    Path wd;

    private ServiceSettings load(Map<String, String> env) {
        return ServiceSettings.from(StowageConfig.load(ConfigSources.of(env, wd)));
    }

    private void yaml(String text) throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), text);
    }

    @Test
    void the_service_declares_its_database_and_limits_sections_through_the_service_loader() {
        assertThat(SettingsSection.load()).extracting(SettingsSection::name).contains("database", "limits");
    }

    @Test
    void without_settings_the_catalog_is_sqlite_under_the_home_state_folder_and_uploads_stop_at_100_mib() {
        ServiceSettings s = load(Map.of("STOWAGE_HOME", wd.resolve("home").toString()));

        assertThat(s.postgres()).isFalse();
        assertThat(s.databaseUrl()).isEqualTo("jdbc:sqlite:" + wd.resolve("home").resolve("state").resolve("catalog.db"));
        assertThat(s.poolSize()).isEqualTo(10);
        assertThat(s.maxUploadSize()).isEqualTo(100L * 1024 * 1024);
        assertThat(s.defaultQuotaBytes()).isEmpty();
        assertThat(s.defaultQuotaFiles()).isEmpty();
        assertThat(s.allowedTypes()).isEmpty();
        assertThat(s.linkTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(s.maxLinkTtl()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void the_yaml_sections_give_the_settings_and_the_environment_overrides_them() throws IOException {
        yaml("""
                database:
                  url: jdbc:postgresql://db:5432/stowage
                  user: app
                  pool_size: 4
                limits:
                  max_upload_size: 5MiB
                  default_quota_bytes: 1GiB
                  default_quota_files: 100
                  allowed_types: [image/*, application/pdf]
                  link_ttl: 10m
                """);
        Files.writeString(wd.resolve(".env"), "STOWAGE_DEFAULT_QUOTA_FILES=200\n");

        ServiceSettings s = load(Map.of("STOWAGE_DATABASE_PASSWORD", PASSWORD, "STOWAGE_MAX_UPLOAD_SIZE", "2MiB",
                "STOWAGE_DATABASE_POOL_SIZE", "6"));

        assertThat(s.postgres()).isTrue();
        assertThat(s.databaseUrl()).isEqualTo("jdbc:postgresql://db:5432/stowage");
        assertThat(s.databaseUser()).contains("app");
        assertThat(s.databasePassword()).contains(PASSWORD);
        assertThat(s.poolSize()).isEqualTo(6);
        assertThat(s.maxUploadSize()).isEqualTo(2L << 20);
        assertThat(s.defaultQuotaBytes()).hasValue(1L << 30);
        assertThat(s.defaultQuotaFiles()).hasValue(200);
        assertThat(s.allowedTypes()).containsExactly("image/*", "application/pdf");
        assertThat(s.linkTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.toString()).doesNotContain(PASSWORD);
        assertThat(StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_DATABASE_PASSWORD", PASSWORD), wd)).describe())
                .doesNotContain(PASSWORD);
    }

    @Test
    void a_value_of_the_wrong_kind_is_reported_with_every_other_configuration_problem() throws IOException {
        yaml("""
                primary: nowhere
                limits:
                  max_upload_size: lots
                  max_uplod_size: 1MiB
                """);

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_DATABASE_POOL_SIZE", "many", "STOWAGE_LINK_TTL", "soon")));

        assertThat(e.problems()).contains(
                "stowage.yaml line 1: primary: unknown backend 'nowhere' (known: local)",
                "stowage.yaml line 3: limits.max_upload_size: must be a size such as 8MiB or 1048576, was 'lots'",
                "STOWAGE_DATABASE_POOL_SIZE: must be a whole number, was 'many'",
                "STOWAGE_LINK_TTL: must be a positive duration such as 30s or 500ms, was 'soon'");
        assertThat(e.problems()).anyMatch(p -> p.startsWith("stowage.yaml line 4: limits.max_uplod_size: unknown setting"));
    }

    @Test
    void values_the_service_cannot_use_are_reported_at_once_each_where_it_was_given() throws IOException {
        yaml("""
                database:
                  url: jdbc:mysql://db/stowage
                limits:
                  max_upload_size: 0
                  allowed_types: [image/*, pdf]
                  link_ttl: 30d
                """);

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_DEFAULT_QUOTA_FILES", "-3", "STOWAGE_DATABASE_PASSWORD", PASSWORD,
                        "STOWAGE_DATABASE_POOL_SIZE", "0")));

        assertThat(e.problems()).containsExactly(
                "stowage.yaml line 2: database.url: must start with jdbc:postgresql: or jdbc:sqlite:",
                "STOWAGE_DATABASE_POOL_SIZE: must be a positive whole number, was '0'",
                "stowage.yaml line 4: limits.max_upload_size: must be a positive size such as 100MiB, was '0'",
                "STOWAGE_DEFAULT_QUOTA_FILES: must be a positive whole number, was '-3'",
                "stowage.yaml line 5: limits.allowed_types: must list media types such as image/* or application/pdf,"
                        + " had 'pdf'",
                "stowage.yaml line 6: limits.link_ttl: must not be longer than limits.max_link_ttl (PT168H)");
        assertThat(e.getMessage()).doesNotContain(PASSWORD);
    }

    @Test
    void the_read_cache_holds_ten_thousand_files_unless_told_and_zero_turns_it_off() {
        assertThat(load(Map.of()).readCache()).isEqualTo(25_000);
        assertThat(load(Map.of("STOWAGE_DATABASE_READ_CACHE", "0")).readCache()).isZero();
        assertThat(load(Map.of("STOWAGE_DATABASE_READ_CACHE", "500")).readCache()).isEqualTo(500);

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_DATABASE_READ_CACHE", "-1")));
        assertThat(e.problems()).containsExactly(
                "STOWAGE_DATABASE_READ_CACHE: must be a whole number of files, 0 for none, was '-1'");
    }

    @Test
    void the_read_window_is_one_second_unless_told_and_zero_turns_the_postgresql_cache_off() {
        assertThat(load(Map.of()).readWindow()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(load(Map.of("STOWAGE_DATABASE_READ_WINDOW", "0")).readWindow()).isZero();
        assertThat(load(Map.of("STOWAGE_DATABASE_READ_WINDOW", "250ms")).readWindow())
                .isEqualTo(java.time.Duration.ofMillis(250));

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_DATABASE_READ_WINDOW", "soon")));
        assertThat(e.problems()).containsExactly(
                "STOWAGE_DATABASE_READ_WINDOW: must be a duration such as 1s or 500ms, 0 for none, was 'soon'");
    }

    @Test
    void commits_are_durable_unless_the_database_section_or_its_variable_says_false() throws IOException {
        assertThat(load(Map.of()).durableCommits()).isTrue();
        assertThat(load(Map.of("STOWAGE_DATABASE_DURABLE_COMMITS", "false")).durableCommits()).isFalse();
        yaml("""
                database:
                  durable_commits: false
                """);
        assertThat(load(Map.of()).durableCommits()).isFalse();
        assertThat(load(Map.of("STOWAGE_DATABASE_DURABLE_COMMITS", "true")).durableCommits()).isTrue();

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_DATABASE_DURABLE_COMMITS", "sometimes")));
        assertThat(e.problems()).singleElement().asString().startsWith("STOWAGE_DATABASE_DURABLE_COMMITS")
                .contains("true or false");
    }

    @Test
    void spec_004s_image_settings_are_read_in_their_own_units_and_sizes_take_bytes_or_a_unit() throws IOException {
        ServiceSettings spec = load(Map.of("MAX_IMAGE_SIZE_MB", "25",
                "SUPPORTED_IMAGE_TYPES", "jpg,jpeg,png,gif,bmp,tiff,webp,svg", "STOWAGE_MAX_UPLOAD_SIZE", "1.5GB"));
        ServiceSettings fraction = load(Map.of("MAX_IMAGE_SIZE_MB", "2.5", "STOWAGE_MAX_UPLOAD_SIZE", "104857600"));
        ServiceSettings ours = load(Map.of("MAX_IMAGE_SIZE_MB", "25", "STOWAGE_MAX_IMAGE_SIZE", "1MiB",
                "SUPPORTED_IMAGE_TYPES", "png", "STOWAGE_IMAGE_TYPES", "image/webp, .JPG"));
        ServiceSettings none = load(Map.of());
        yaml("""
                limits:
                  max_image_size: 100MB
                  image_types: [png]
                """);
        ServiceSettings yaml = load(Map.of());

        assertThat(spec.maxImageSize()).hasValue(25L << 20);
        assertThat(spec.imageTypes()).containsExactly("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff",
                "image/webp", "image/svg+xml");
        assertThat(spec.maxUploadSize()).isEqualTo(3L << 29);
        assertThat(fraction.maxImageSize()).hasValue(5L << 19);
        assertThat(fraction.maxUploadSize()).isEqualTo(100L << 20);
        assertThat(ours.maxImageSize()).hasValue(1L << 20);
        assertThat(ours.imageTypes()).containsExactly("image/webp", "image/jpeg");
        assertThat(yaml.maxImageSize()).hasValue(100L << 20);
        assertThat(yaml.imageTypes()).containsExactly("image/png");
        assertThat(none.maxImageSize()).isEmpty();
        assertThat(none.imageTypes()).isEmpty();
    }

    @Test
    void image_settings_the_service_cannot_use_are_reported_with_the_rest() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("MAX_IMAGE_SIZE_MB", "lots", "STOWAGE_MAX_UPLOAD_SIZE", "1.5")));
        InvalidConfigException types = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("SUPPORTED_IMAGE_TYPES", "png,pdf,zzz,text/plain")));
        InvalidConfigException zero = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("MAX_IMAGE_SIZE_MB", "0")));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "MAX_IMAGE_SIZE_MB: must be a size such as 8MiB or 1048576, was 'lots'",
                "STOWAGE_MAX_UPLOAD_SIZE: must be a size such as 8MiB or 1048576, was '1.5'");
        assertThat(types.problems()).containsExactly(
                "SUPPORTED_IMAGE_TYPES: must list image types as extensions (jpg, png) or media types (image/png), had 'pdf'",
                "SUPPORTED_IMAGE_TYPES: must list image types as extensions (jpg, png) or media types (image/png), had 'zzz'",
                "SUPPORTED_IMAGE_TYPES: must list image types as extensions (jpg, png) or media types (image/png),"
                        + " had 'text/plain'");
        assertThat(zero.problems()).containsExactly("MAX_IMAGE_SIZE_MB: must be a positive size such as 100MiB, was '0MB'");
    }

    @Test
    void link_mode_and_pending_grace_default_to_proxy_and_15_minutes_and_come_from_yaml_or_the_environment()
            throws IOException {
        ServiceSettings defaults = load(Map.of("STOWAGE_HOME", wd.toString()));
        yaml("""
                limits:
                  link_mode: redirect
                maintenance:
                  pending_grace: 1h
                """);
        ServiceSettings fromYaml = load(Map.of("STOWAGE_HOME", wd.toString()));
        ServiceSettings fromEnv = load(Map.of("STOWAGE_HOME", wd.toString(), "STOWAGE_LINK_MODE", "proxy",
                "STOWAGE_PENDING_GRACE", "90s"));

        assertThat(SettingsSection.load()).extracting(SettingsSection::name).contains("maintenance");
        assertThat(defaults.redirectLinks()).isFalse();
        assertThat(defaults.pendingGrace()).isEqualTo(Duration.ofMinutes(15));
        assertThat(fromYaml.redirectLinks()).isTrue();
        assertThat(fromYaml.pendingGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(fromEnv.redirectLinks()).isFalse();
        assertThat(fromEnv.pendingGrace()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void a_link_mode_other_than_proxy_or_redirect_is_refused_with_its_setting_named() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_HOME", wd.toString(), "STOWAGE_LINK_MODE", "bounce")));

        assertThat(e.getMessage()).contains("STOWAGE_LINK_MODE").contains("proxy").contains("redirect");
    }
}
