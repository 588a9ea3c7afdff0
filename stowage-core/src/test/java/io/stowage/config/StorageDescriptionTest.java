package io.stowage.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.memory.MemoryBlobStoreProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageDescriptionTest {

    private static final String SECRET = "a-secret-token-that-must-never-show";
    private static final BlobStoreProviders MEMORY = BlobStoreProviders.of(new MemoryBlobStoreProvider());

    @TempDir
    Path wd;

    private StorageDescription describe() throws IOException {
        Files.writeString(wd.resolve("stowage.yaml"), """
                backends:
                  main: { type: memory, access_token: "%s", endpoint: "https://user:pw@example.com/x?sig=1",
                          retry: { max_attempts: 7 }, read_only: true, prefix: tenant-a/ }
                  spare: { type: memory }
                  idle: { type: memory }
                primary: main
                fallback: [spare]
                mirror_mode: async
                health_interval: 5s
                """.formatted(SECRET), StandardCharsets.UTF_8);
        StowageConfig config = StowageConfig.load(ConfigSources.of(Map.of(), wd), MEMORY, List.of());
        return StorageDescription.of(config, MEMORY);
    }

    @Test
    void it_holds_types_backends_routing_and_the_routed_backends_with_their_layers() throws IOException {
        StorageDescription d = describe();
        assertThat(d.types()).extracting(StorageDescription.Type::type).containsExactly("memory");
        assertThat(d.types().get(0).module()).isEqualTo("stowage-core");
        assertThat(d.backends()).extracting(StorageDescription.Backend::name).containsExactly("idle", "local", "main",
                "spare");
        StorageDescription.Backend main = d.backends().get(2);
        assertThat(main.primary()).isTrue();
        assertThat(main.where()).isEqualTo(", prefix tenant-a/ at https://example.com/x");
        assertThat(d.routing().primary()).isEqualTo("main");
        assertThat(d.routing().fallback()).containsExactly("spare");
        assertThat(d.routing().mirrorMode()).isEqualTo("async");
        assertThat(d.routing().healthInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.routed()).extracting(StorageDescription.Routed::name).containsExactly("main", "spare");
        StorageDescription.Routed routed = d.routed().get(0);
        assertThat(routed.settings()).containsEntry("read_only", "true").doesNotContainKey("retry.max_attempts")
                .doesNotContainValue(SECRET).containsEntry("endpoint", "https://example.com/x");
        assertThat(routed.layers().maxAttempts()).isEqualTo(7);
        assertThat(routed.layers().readOnly()).isTrue();
        assertThat(routed.layers().prefix()).isEqualTo("tenant-a/");
        assertThat(d.routed().get(1).layers().prefix()).isNull();
    }

    @Test
    void it_is_written_as_json_with_secrets_masked_and_durations_in_iso_8601() throws IOException {
        String json = describe().toJson();
        assertThat(json).doesNotContain(SECRET);
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.path("routing").path("primary").asText()).isEqualTo("main");
        assertThat(tree.path("routing").path("healthInterval").asText()).isEqualTo("PT5S");
        assertThat(tree.path("routed").get(0).path("layers").path("maxAttempts").asInt()).isEqualTo(7);
        assertThat(tree.path("routed").get(0).path("settings").path("access_token").asText()).startsWith("****");
        assertThat(tree.path("backends")).hasSize(4);
    }
}
