package io.stowage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.memory.MemoryBlobStoreProvider;
import io.stowage.spi.SettingSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsSectionTest {

    private static final String SECRET = "jwt-signing-secret-0123456789abcdef";

    @TempDir
    Path wd;

    private StowageConfig load(Map<String, String> env) {
        return StowageConfig.load(ConfigSources.of(env, wd));
    }

    private void yaml(String text) throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), text, StandardCharsets.UTF_8);
    }

    @Test
    void a_section_registered_through_the_service_loader_is_declared() {
        assertThat(SettingsSection.load()).extracting(SettingsSection::name).contains("server");
    }

    @Test
    void a_declared_section_is_read_from_yaml_and_the_environment_with_precedence_typed_and_with_sources()
            throws IOException {
        yaml("""
                server:
                  host: 127.0.0.1
                  port: 9000
                  idle_timeout: 2m
                  cors_origins: [https://a.example, https://b.example]
                """);
        Files.writeString(wd.resolve(".env"), "STOWAGE_MAX_UPLOAD_SIZE=5MiB\n");
        StowageConfig c = load(Map.of("STOWAGE_PORT", "9443", "STOWAGE_METRICS_PUBLIC", "yes"));
        ConfigSection server = c.section("server");
        assertThat(server.declared()).isTrue();
        assertThat(server.getString("host")).isEqualTo("127.0.0.1");
        assertThat(server.getInt("port")).isEqualTo(9443);
        assertThat(server.getSize("max_upload_size")).isEqualTo(5L * 1024 * 1024);
        assertThat(server.getDuration("idle_timeout")).hasMinutes(2);
        assertThat(server.getBoolean("metrics_public")).isTrue();
        assertThat(server.getList("cors_origins")).containsExactly("https://a.example", "https://b.example");
        assertThat(server.get("link_mode")).isEmpty();
        assertThat(server.setting("port").orElseThrow().source()).isEqualTo(ConfigSource.ENV);
        assertThat(server.setting("port").orElseThrow().origin()).isEqualTo("STOWAGE_PORT");
        assertThat(server.setting("host").orElseThrow().origin()).isEqualTo("stowage.yaml line 2");
        assertThat(server.setting("max_upload_size").orElseThrow().source()).isEqualTo(ConfigSource.DOTENV);
        assertThat(server.setting("idle_timeout").orElseThrow().source()).isEqualTo(ConfigSource.YAML);
        assertThat(c.describe()).containsPattern("server:\\n(  .*\\n)*  port: 9443\\s+\\(env STOWAGE_PORT\\)");
    }

    @Test
    void defaults_fill_a_section_nothing_sets() {
        ConfigSection server = load(Map.of()).section("server");
        assertThat(server.getInt("port")).isEqualTo(8080);
        assertThat(server.getString("host")).isEqualTo("0.0.0.0");
        assertThat(server.setting("port").orElseThrow().source()).isEqualTo(ConfigSource.DEFAULT);
        assertThat(server.getList("cors_origins")).isEmpty();
        assertThatThrownBy(() -> server.getString("link_mode"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("server.link_mode");
    }

    @Test
    void bad_values_and_typos_in_a_section_are_reported_with_every_other_problem() throws IOException {
        yaml("""
                server:
                  prot: 9000
                  idle_timeout: soon
                  link_mode: private
                sever:
                  port: 1
                primary: nowhere
                """);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_PORT", "eighty", "STOWAGE_MAX_UPLOAD_SIZE", "huge")));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "stowage.yaml line 2: server.prot: unknown setting (known: cors_origins, host, idle_timeout, "
                        + "link_mode, max_upload_size, metrics_public, port, signing)",
                "stowage.yaml line 3: server.idle_timeout: must be a positive duration such as 30s or 500ms, was 'soon'",
                "stowage.yaml line 4: server.link_mode: must be signed or public, was 'private'",
                "stowage.yaml line 6: unknown setting 'sever' (known: backends, primary, fallback, fallback_on, mirror,"
                        + " mirror_mode, tiers, layers, health_interval, home, server)",
                "stowage.yaml line 7: primary: unknown backend 'nowhere' (known: local)",
                "STOWAGE_PORT: must be a whole number, was 'eighty'",
                "STOWAGE_MAX_UPLOAD_SIZE: must be a size such as 8MiB or 1048576, was 'huge'");
    }

    @Test
    void a_reserved_section_no_installed_module_declares_is_carried_unchecked() throws IOException {
        yaml("""
                database:
                  url: jdbc:sqlite:stowage.db
                  pool: { size: 4 }
                """);
        StowageConfig c = load(Map.of());
        ConfigSection db = c.section("database");
        assertThat(db.declared()).isFalse();
        assertThat(db.get("url")).contains("jdbc:sqlite:stowage.db");
        assertThat(db.get("pool.size")).contains("4");
        assertThat(c.section("images").settings()).isEmpty();
    }

    @Test
    void a_required_setting_of_a_section_is_reported_naming_its_environment_variable() {
        SettingsSection database = new SettingsSection() {
            @Override
            public String name() {
                return "database";
            }

            @Override
            public List<SettingSpec> settings() {
                return List.of(SettingSpec.text("url").env("STOWAGE_DATABASE_URL").required(),
                        SettingSpec.text("password").env("STOWAGE_DATABASE_PASSWORD"));
            }
        };
        BlobStoreProviders memory = BlobStoreProviders.of(new MemoryBlobStoreProvider());
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_DATABASE_PASSWORD", SECRET), wd), memory,
                        List.of(database)));
        assertThat(e.problems()).containsExactly("database.url: required (set STOWAGE_DATABASE_URL)");

        StowageConfig c = StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_DATABASE_URL", "jdbc:x",
                "STOWAGE_DATABASE_PASSWORD", SECRET), wd), memory, List.of(database));
        assertThat(c.section("database").getString("url")).isEqualTo("jdbc:x");
        assertThat(c.describe()).doesNotContain(SECRET);
    }

    @Test
    void a_declared_secret_is_masked_even_when_its_name_does_not_say_so() {
        StowageConfig c = load(Map.of("STOWAGE_JWT_SECRET", SECRET));
        Setting signing = c.section("server").setting("signing").orElseThrow();
        assertThat(signing.declaredSecret()).isTrue();
        assertThat(signing.shownValue()).doesNotContain(SECRET);
        assertThat(c.describe()).doesNotContain(SECRET);
        assertThat(c.section("server").getString("signing")).isEqualTo(SECRET);
    }
}
