package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BlobStoreProvider;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a backend is one new module and nothing else: the {@code attic} type (test sources,
 * {@link io.stowage.attic.AtticBlobStoreProvider}) is put on the class path as a directory with its
 * {@code META-INF/services} file, the way a jar would be, and is then configured from the environment and
 * from {@code stowage.yaml}, listed by {@code stowage backends} and {@code stowage capabilities}, and
 * reported when its required setting is missing. No line of core or of the CLI names it.
 */
class NewBackendModuleTest {

    @TempDir
    Path wd;

    private URLClassLoader withAttic;
    private BlobStoreProviders providers;

    @BeforeEach
    void putTheModuleOnTheClassPath() throws URISyntaxException {
        URL module = getClass().getClassLoader().getResource("attic-module/");
        assertThat(module).as("the test module's directory").isNotNull();
        withAttic = new URLClassLoader(new URL[] {module}, getClass().getClassLoader());
        providers = BlobStoreProviders.load(withAttic);
    }

    @AfterEach
    void close() throws IOException {
        withAttic.close();
    }

    private CliHarness cli(Map<String, String> env) {
        CliHarness cli = new CliHarness(wd);
        cli.providers = providers;
        cli.env.clear();
        cli.env.putAll(env);
        return cli;
    }

    @Test
    void the_module_is_found_only_where_it_is_on_the_class_path() {
        assertThat(providers.find("attic")).map(BlobStoreProvider::module).contains("stowage-backend-attic");
        assertThat(BlobStoreProviders.load().find("attic")).isEmpty();
    }

    @Test
    void its_declared_environment_name_configures_and_opens_it() {
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of("PRIMARY_BACKEND", "attic",
                "ATTIC_BOX", "winter-clothes"), wd), providers);
        assertThat(config.backend("attic").settings()).containsEntry("box", "winter-clothes");
        assertThat(config.describe()).containsPattern("box: winter-clothes\\s+\\(env ATTIC_BOX\\)");
        try (BlobStore store = config.openPrimary(providers)) {
            store.put(BlobKey.of("scarf"), BlobContent.ofUtf8("wool"));
            assertThat(store.name()).isEqualTo("attic:winter-clothes");
            assertThat(store.exists(BlobKey.of("scarf"))).isTrue();
        }
    }

    @Test
    void a_named_backend_of_its_type_is_configured_from_yaml() throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  loft: { type: attic, box: toys }
                primary: loft
                """, StandardCharsets.UTF_8);
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of(), wd), providers);
        try (BlobStore store = config.openPrimary(providers)) {
            assertThat(store.name()).isEqualTo("loft:toys");
        }
    }

    @Test
    void stowage_backends_lists_the_type_and_the_configured_backend() {
        CliHarness.Result r = cli(Map.of("PRIMARY_BACKEND", "attic", "ATTIC_BOX", "books")).run("backends");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).containsPattern("  attic +boxes in the attic \\(a test module\\)")
                .containsPattern("\\* attic +attic +")
                .contains("  primary:  attic")
                .contains("    box: books");
    }

    @Test
    void stowage_capabilities_lists_what_it_can_do() {
        CliHarness.Result r = cli(Map.of()).run("capabilities");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).containsPattern("(?m)^attic\\n  range_read +true\\n  conditional_put +true");
    }

    @Test
    void its_missing_setting_is_reported_naming_the_environment_variable() {
        CliHarness.Result r = cli(Map.of("PRIMARY_BACKEND", "attic")).run("backends");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.of(ErrorKind.CONFIG));
        assertThat(r.err()).contains("backends.attic.box: required (set ATTIC_BOX)");
    }
}
