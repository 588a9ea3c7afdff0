package io.stowage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.composite.FallbackOn;
import io.stowage.memory.MemoryBlobStoreProvider;
import io.stowage.internal.BlobStoreProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fallback_on} (decision 0037): outages only for a named configuration, outages and refusals with a
 * {@code local} fallback where a specification's own variable chose the primary, and the setting checked
 * as the others are.
 */
class FallbackOnConfigTest {

    private static final BlobStoreProviders PROVIDERS = BlobStoreProviders.of(new MemoryBlobStoreProvider(),
            new ProviderDeclarationsTest.ShelfProvider());

    @TempDir
    Path wd;

    private StowageConfig load(Map<String, String> env) {
        return StowageConfig.load(ConfigSources.of(env, wd), PROVIDERS, List.of());
    }

    private void yaml(String text) throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), text, StandardCharsets.UTF_8);
    }

    @Test
    void a_named_configuration_fails_over_outages_only_unless_fallback_on_says_refusal() throws IOException {
        yaml("backends:\n  s: { type: shelf, room: r }\nprimary: s\nfallback: [memory]\n");
        StowageConfig named = load(Map.of());
        assertThat(named.fallbackOn()).containsExactly(FallbackOn.OUTAGE);
        assertThat(named.describe()).containsPattern("fallback_on: outage\\s+\\(default\\)");

        yaml("backends:\n  s: { type: shelf, room: r }\nprimary: s\nfallback: [memory]\nfallback_on: [outage, refusal]\n");
        StowageConfig chosen = load(Map.of());
        assertThat(chosen.fallbackOn()).containsExactly(FallbackOn.OUTAGE, FallbackOn.REFUSAL);
        assertThat(chosen.describe()).containsPattern("fallback_on: outage, refusal\\s+\\(yaml stowage.yaml line 5\\)");
        assertThat(load(Map.of("STOWAGE_FALLBACK_ON", "outage")).fallbackOn())
                .as("the environment over the file").containsExactly(FallbackOn.OUTAGE);
    }

    @Test
    void a_primary_a_specification_variable_chose_falls_back_to_local_on_refusals_too_and_says_why() {
        for (String name : List.of("STORAGE_TYPE", "BHIV_STORAGE_BACKEND")) {
            StowageConfig c = load(Map.of(name, "cupboard", "SHELF_ROOM", "r"));
            assertThat(c.primary()).isEqualTo("shelf");
            assertThat(c.fallback()).as(name).containsExactly("local");
            assertThat(c.fallbackOn()).containsExactly(FallbackOn.OUTAGE, FallbackOn.REFUSAL);
            assertThat(c.describe())
                    .containsPattern("fallback: local\\s+\\(default because " + name + " chose the primary\\)")
                    .containsPattern("fallback_on: outage, refusal\\s+\\(default because " + name + " chose the primary\\)");
        }
        StowageConfig switched = load(Map.of("USE_SHELF", "true", "SHELF_ROOM", "r"));
        assertThat(switched.fallback()).containsExactly("local");
        assertThat(switched.mirror()).containsExactly("memory");
        assertThat(switched.fallbackOn()).contains(FallbackOn.REFUSAL);
    }

    @Test
    void what_is_set_wins_over_the_specification_default() {
        StowageConfig c = load(Map.of("STORAGE_TYPE", "shelf", "SHELF_ROOM", "r", "STOWAGE_FALLBACK", "memory",
                "STOWAGE_FALLBACK_ON", "outage"));
        assertThat(c.fallback()).containsExactly("memory");
        assertThat(c.fallbackOn()).containsExactly(FallbackOn.OUTAGE);
        assertThat(load(Map.of("PRIMARY_BACKEND", "shelf", "SHELF_ROOM", "r")).fallback())
                .as("PRIMARY_BACKEND is Stowage's own name: no fallback it did not ask for").isEmpty();
        StowageConfig local = load(Map.of("STORAGE_TYPE", "local"));
        assertThat(local.fallback()).as("local does not fall back to itself").isEmpty();
    }

    @Test
    void where_local_is_already_the_mirror_replica_the_fallback_is_a_local_backend_of_its_own_under_the_home() {
        StowageConfig c = load(Map.of("STORAGE_TYPE", "shelf", "SHELF_ROOM", "r", "STOWAGE_MIRROR", "local"));
        assertThat(c.mirror()).containsExactly("local");
        assertThat(c.fallback()).as("a backend plays one role (decision 0013)").containsExactly("local_fallback");
        assertThat(c.backend("local_fallback").type()).isEqualTo("local");
        assertThat(c.backend("local_fallback").settings())
                .containsEntry("path", wd.resolve("storage").resolve("fallback").toString());
        assertThat(c.describe()).containsPattern("fallback: local_fallback\\s+\\(default because STORAGE_TYPE chose")
                .containsPattern("path: .*fallback\\s+\\(default because STORAGE_TYPE chose the primary\\)");
    }

    @Test
    void unknown_reasons_and_a_list_without_outage_are_problems_naming_the_setting() throws IOException {
        yaml("fallback_on: [refusal, sometimes]\n");
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> load(Map.of()));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "stowage.yaml line 1: fallback_on: unknown reason 'sometimes' (known: outage, refusal)",
                "stowage.yaml line 1: fallback_on: must include outage (a primary that is away always fails over);"
                        + " write [outage, refusal] to fail over refusals too, was 'refusal,sometimes'");
        assertThat(catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STOWAGE_FALLBACK_ON", "outage,never"))).problems())
                .containsExactly("STOWAGE_FALLBACK_ON: unknown reason 'never' (known: outage, refusal)");
    }

    @Test
    void a_primary_a_specification_variable_chose_keeps_its_own_problems_to_open_refusing_with_them() {
        // Spec 004: "falls back to local storage if S3 configuration is invalid".
        StowageConfig c = load(Map.of("STORAGE_TYPE", "shelf", "SHELF_COLOR", "green"));
        assertThat(c.primary()).isEqualTo("shelf");
        assertThat(c.fallback()).containsExactly("local");
        assertThat(c.problems("shelf")).hasSize(2)
                .anyMatch(p -> p.contains("room: required") && p.contains("SHELF_ROOM"))
                .anyMatch(p -> p.contains("SHELF_COLOR") && p.contains("green"));
        assertThat(c.problems("local")).isEmpty();

        InvalidConfigException named = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("PRIMARY_BACKEND", "shelf")));
        assertThat(named.problems()).as("Stowage's own names keep failing the configuration (decision 0014)")
                .anyMatch(p -> p.contains("SHELF_ROOM"));

        InvalidConfigException both = catchThrowableOfType(InvalidConfigException.class,
                () -> load(Map.of("STORAGE_TYPE", "shelf", "STOWAGE_MIRROR_MODE", "sometimes")));
        assertThat(both.problems()).as("a configuration that fails anyway reports every problem")
                .anyMatch(p -> p.contains("must be sync or async")).anyMatch(p -> p.contains("SHELF_ROOM"));
    }
}
