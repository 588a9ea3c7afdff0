package io.stowage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.MetadataEditor;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlobStoreProvidersTest {

    @Test
    void the_memory_type_is_found_through_the_service_loader() {
        BlobStoreProviders providers = BlobStoreProviders.load();
        assertThat(providers.types()).contains("memory");
        try (BlobStore store = providers.open(new BackendConfig("scratch", "memory", Map.of(), Path.of("x")))) {
            assertThat(store.name()).isEqualTo("scratch");
            assertThat(store.put(BlobKey.of("a"), BlobContent.ofUtf8("x")).backend()).isEqualTo("scratch");
        }
    }

    @Test
    void an_absent_module_is_named_with_the_types_that_are_available() {
        BlobStoreProviders providers = BlobStoreProviders.load();
        assertThatThrownBy(() -> providers.open(BackendConfig.of("azure_blob", Map.of())))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("azure_blob", "stowage-backend-azure", "available: ", "memory");
                });
    }

    @Test
    void a_type_nobody_provides_says_so_and_lists_the_available_ones() {
        assertThatThrownBy(() -> BlobStoreProviders.load().require("floppy"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("'floppy'", "not a backend type", "memory");
                });
    }

    @Test
    void configured_capability_overrides_are_enforced() {
        BackendConfig config = new BackendConfig("restricted", "memory",
                Map.of("capabilities.conditional_put", "false"), Path.of("x"));
        try (BlobStore store = BlobStoreProviders.load().open(config)) {
            assertThat(store.capabilities().conditionalPut()).isFalse();
            assertThat(store.capabilities().rangeRead()).isTrue();
            assertThatThrownBy(() -> store.put(BlobKey.of("k"), BlobContent.ofUtf8("x"),
                    PutOptions.builder().createOnly(true).build()))
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
            assertThat(store.exists(BlobKey.of("k"))).isFalse();
        }
    }

    @Test
    void an_unknown_capability_in_configuration_is_a_config_error_naming_the_backend() {
        BackendConfig config = new BackendConfig("odd", "memory", Map.of("capabilities.teleport", "true"), Path.of("x"));
        assertThatThrownBy(() -> BlobStoreProviders.load().open(config))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).contains("odd", "teleport", "conditional_put");
                });
    }

    @Test
    void a_configured_size_limit_stops_an_unknown_length_put_and_stores_nothing() {
        BackendConfig config = new BackendConfig("small", "memory", Map.of("capabilities.max_object_size", "10"),
                Path.of("x"));
        try (BlobStore store = BlobStoreProviders.load().open(config)) {
            BlobKey key = BlobKey.of("big");
            assertThatThrownBy(() -> store.put(key,
                    BlobContent.ofUnknownLength(new java.io.ByteArrayInputStream(new byte[11]))))
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.TOO_LARGE));
            assertThat(store.exists(key)).isFalse();
            assertThat(store.put(key, BlobContent.of(new byte[10])).size()).isEqualTo(10);
        }
    }

    @Test
    void secrets_are_masked_when_a_backend_config_is_printed() {
        BackendConfig config = new BackendConfig("s", "aws_s3",
                Map.of("secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "access_key", "AKIAEXAMPLE",
                        "bucket", "files"), Path.of("x"));
        assertThat(config.toString()).doesNotContain("wJalrXUtnFEMI").contains("****EKEY", "AKIAEXAMPLE", "files");
    }

    @Test
    void every_opened_backend_is_behind_the_capability_check_and_an_override_takes_its_feature_away() {
        try (BlobStore plain = BlobStoreProviders.load().open(new BackendConfig("plain", "memory", Map.of(), Path.of("x")))) {
            assertThat(plain).isInstanceOf(CapabilityCheck.class);
            assertThat(plain.feature(MetadataEditor.class)).isPresent();
        }
        BackendConfig config = new BackendConfig("fixed", "memory", Map.of("capabilities.metadata_update", "false"),
                Path.of("x"));
        try (BlobStore store = BlobStoreProviders.load().open(config)) {
            assertThat(store.capabilities().metadataUpdate()).isFalse();
            assertThat(store.feature(MetadataEditor.class)).isEmpty();
        }
    }
}
