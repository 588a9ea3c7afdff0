package io.stowage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobStore;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.memory.MemoryBlobStore;
import io.stowage.memory.MemoryBlobStoreProvider;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.PrimarySwitch;
import io.stowage.spi.SettingSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration applies what a provider declares, and knows no backend by itself: the environment
 * names, defaults, required and secret settings, kinds, aliases and switches of a provider written here.
 */
class ProviderDeclarationsTest {

    private static final String SECRET = "shelf-token-0123456789abcdefghij";

    /** A backend type declared only in this test. */
    static final class ShelfProvider implements BlobStoreProvider {
        @Override
        public String type() {
            return "shelf";
        }

        @Override
        public Set<String> aliases() {
            return Set.of("cupboard");
        }

        @Override
        public String description() {
            return "a shelf in memory";
        }

        @Override
        public Set<String> settingNames() {
            return Set.of("room", "color", "tidy", "token", "dir");
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.text("room").env("SHELF_ROOM", "CUPBOARD_ROOM").required().identifying(),
                    SettingSpec.oneOf("color", "red", "blue").env("SHELF_COLOR").defaultValue("red"),
                    SettingSpec.bool("tidy").env("SHELF_TIDY"),
                    SettingSpec.text("token").env("SHELF_PASS").secret(),
                    SettingSpec.path("dir").defaultHome());
        }

        @Override
        public List<PrimarySwitch> primarySwitches() {
            return List.of(new PrimarySwitch("USE_SHELF", List.of("memory")));
        }

        @Override
        public BlobStore open(BackendConfig config) {
            return new MemoryBlobStore(config.name());
        }
    }

    private static final BlobStoreProviders PROVIDERS = BlobStoreProviders.of(new MemoryBlobStoreProvider(),
            new ShelfProvider());

    @TempDir
    Path wd;

    private StowageConfig load(Map<String, String> env) {
        return StowageConfig.load(ConfigSources.of(env, wd), PROVIDERS, List.of());
    }

    private InvalidConfigException failure(Map<String, String> env) {
        return catchThrowableOfType(InvalidConfigException.class, () -> load(env));
    }

    @Test
    void declared_environment_names_configure_the_backend_named_after_its_type_with_its_defaults() {
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "shelf", "CUPBOARD_ROOM", "attic", "SHELF_ROOM", "hall"));
        BackendConfig shelf = c.backend("shelf");
        assertThat(shelf.type()).isEqualTo("shelf");
        assertThat(shelf.settings()).containsEntry("room", "hall").containsEntry("color", "red")
                .containsEntry("dir", wd.resolve("storage").toString());
        assertThat(c.describe()).containsPattern("room: hall\\s+\\(env SHELF_ROOM\\)")
                .containsPattern("color: red\\s+\\(default\\)")
                .containsPattern("dir: .*storage\\s+\\(default STOWAGE_HOME\\)");
    }

    @Test
    void an_identifying_name_alone_makes_the_backend_exist_and_others_do_not() {
        assertThat(load(Map.of("SHELF_ROOM", "hall")).backends()).containsOnlyKeys("local", "shelf");
        assertThat(load(Map.of("SHELF_COLOR", "blue", "SHELF_PASS", SECRET)).backends()).containsOnlyKeys("local");
    }

    @Test
    void names_no_provider_declares_are_ignored() {
        StowageConfig c = load(Map.of("MINIO_BUCKET_NAME", "b", "AWS_S3_BUCKET_NAME", "b", "GCS_BUCKET_NAME", "b"));
        assertThat(c.backends()).containsOnlyKeys("local");
    }

    @Test
    void a_missing_required_setting_names_its_first_environment_variable_and_kinds_are_checked_at_once() {
        InvalidConfigException e = failure(Map.of("PRIMARY_BACKEND", "shelf", "SHELF_COLOR", "green",
                "SHELF_TIDY", "somewhat", "SHELF_PASS", SECRET));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "backends.shelf.room: required (set SHELF_ROOM)",
                "SHELF_COLOR: must be red or blue, was 'green'",
                "SHELF_TIDY: must be true or false, was 'somewhat'");
    }

    @Test
    void a_declared_secret_is_masked_and_never_quoted_in_a_problem() throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  s: { type: shelf, room: r, token: "%s", tidy: "%s" }
                primary: s
                """.formatted(SECRET, SECRET), StandardCharsets.UTF_8);
        InvalidConfigException e = failure(Map.of());
        assertThat(e.problems()).containsExactly("stowage.yaml line 2: backends.s.tidy: must be true or false, was '****'");
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  s: { type: shelf, room: r, token: "%s" }
                primary: s
                """.formatted(SECRET), StandardCharsets.UTF_8);
        assertThat(load(Map.of()).describe()).doesNotContain(SECRET).contains("token: ****");
    }

    @Test
    void a_declared_alias_names_the_type_in_yaml_and_as_the_primary() throws IOException {
        assertThat(load(Map.of("PRIMARY_BACKEND", "cupboard", "SHELF_ROOM", "r")).primary()).isEqualTo("shelf");
        assertThat(load(Map.of("STORAGE_TYPE", "cupboard", "SHELF_ROOM", "r")).primary()).isEqualTo("shelf");
        Files.writeString(wd.resolve("stowage.yaml"), "backends:\n  c: { type: cupboard, room: r }\nprimary: c\n",
                StandardCharsets.UTF_8);
        assertThat(load(Map.of()).backend("c").type()).isEqualTo("shelf");
    }

    @Test
    void a_declared_switch_chooses_the_primary_and_its_mirror_unless_a_stronger_name_did() {
        StowageConfig c = load(Map.of("USE_SHELF", "true", "SHELF_ROOM", "r"));
        assertThat(c.primary()).isEqualTo("shelf");
        assertThat(c.mirror()).containsExactly("memory");
        assertThat(load(Map.of("USE_SHELF", "true", "SHELF_ROOM", "r", "PRIMARY_BACKEND", "memory")).primary())
                .isEqualTo("memory");
        assertThat(load(Map.of("USE_SHELF", "off")).primary()).isEqualTo("local");
        assertThat(failure(Map.of("USE_SHELF", "maybe")).problems())
                .containsExactly("USE_SHELF: must be true or false, was 'maybe'");
    }

    @Test
    void a_type_of_a_module_that_is_absent_keeps_its_settings_unchecked_until_it_is_opened() throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), "backends:\n  far: { type: gcs, anything: goes }\nprimary: far\n",
                StandardCharsets.UTF_8);
        StowageConfig c = load(Map.of());
        assertThat(c.backend("far").settings()).containsOnly(Map.entry("anything", "goes"));
        assertThat(catchThrowableOfType(io.stowage.StorageException.class, () -> c.openPrimary(PROVIDERS)))
                .hasMessageContaining("stowage-backend-gcs");
    }

    @Test
    void a_backend_without_a_type_is_offered_the_known_types_and_the_installed_ones() throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), "backends:\n  x: { room: r }\nprimary: x\n",
                StandardCharsets.UTF_8);
        assertThat(failure(Map.of()).problems()).singleElement().asString()
                .startsWith("stowage.yaml line 2: backends.x.type: required (one of local, memory, ")
                .endsWith(", shelf, or another installed type)");
    }
}
