package io.stowage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.Presigner;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.Versioned;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.testkit.ContractAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings, credentials files and provider registration; nothing here opens a connection. */
class GcsConfigTest {

    @TempDir
    Path dir;

    private static GcsBlobStoreConfig config(Map<String, String> settings) {
        return GcsBlobStoreConfig.from(BackendConfig.of("gcs", settings));
    }

    private static StorageException configError(Map<String, String> settings) {
        return ContractAssertions.assertFails(ErrorKind.CONFIG, () -> new GcsBlobStore(config(settings)));
    }

    @Test
    void the_provider_is_registered_as_gcs_and_opens_its_example_without_the_network() {
        BlobStoreProvider provider = BlobStoreProviders.load().require("gcs");
        assertThat(provider).isInstanceOf(GcsBlobStoreProvider.class);
        assertThat(provider.settingNames()).contains("bucket", "project_id", "credentials_file", "storage_class", "endpoint");
        try (BlobStore store = provider.open(BackendConfig.of("gcs", provider.exampleSettings()))) {
            assertThat(store.name()).isEqualTo("gcs");
            assertThat(store.capabilities().tiers()).isTrue();
            assertThat(store.capabilities().conditionalPut()).isTrue();
            assertThat(store.capabilities().listUtf16Order()).isFalse();
            assertThat(store.capabilities().maxObjectSize()).isEqualTo(5L * 1024 * 1024 * 1024 * 1024);
        }
    }

    @Test
    void defaults_are_the_bucket_default_class_eight_mib_chunks_and_no_versioning() {
        GcsBlobStoreConfig c = config(Map.of("bucket", "my-bucket"));
        assertThat(c.storageClass()).isEmpty();
        assertThat(c.chunkSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(c.versioning()).isFalse();
        assertThat(c.createBucket()).isTrue();
        assertThat(c.where()).isEqualTo("https://storage.googleapis.com");
        assertThat(new GcsBlobStore(c).feature(Versioned.class)).isEmpty();
    }

    @Test
    void a_missing_bucket_is_a_config_error() {
        assertThat(configError(Map.of()).getMessage()).contains("bucket");
    }

    @Test
    void an_invalid_bucket_name_is_a_config_error_naming_the_setting() {
        for (String bad : new String[] {"UPPER", "a", "-dash", "has space", "x".repeat(64)}) {
            assertThat(configError(Map.of("bucket", bad)).getMessage()).contains("GCS_BUCKET_NAME");
        }
    }

    @Test
    void storage_classes_are_checked_and_accepted_in_any_case() {
        assertThat(config(Map.of("bucket", "b-1", "storage_class", "coldline")).storageClass()).contains("COLDLINE");
        assertThat(configError(Map.of("bucket", "b-1", "storage_class", "GLACIER")).getMessage())
                .contains("GCS_STORAGE_CLASS").contains("NEARLINE");
    }

    @Test
    void chunk_size_must_be_a_multiple_of_256_kib() {
        assertThat(config(Map.of("bucket", "b-1", "chunk_size", "512KiB")).chunkSize()).isEqualTo(512 * 1024);
        assertThat(configError(Map.of("bucket", "b-1", "chunk_size", "300KiB")).getMessage()).contains("chunk_size");
        configError(Map.of("bucket", "b-1", "chunk_size", "1KiB"));
    }

    @Test
    void a_missing_credentials_file_is_one_config_error_naming_the_setting() {
        StorageException e = configError(Map.of("bucket", "b-1", "credentials_file", dir.resolve("nope.json").toString()));
        assertThat(e.getMessage()).contains("credentials_file").contains("GOOGLE_APPLICATION_CREDENTIALS")
                .contains("does not exist");
    }

    @Test
    void an_invalid_credentials_file_is_a_config_error_that_does_not_echo_its_content() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"type\":\"service_account\",\"private_key\":\"TOP-SECRET-KEY-MATERIAL\"}");
        StorageException e = configError(Map.of("bucket", "b-1", "credentials_file", file.toString()));
        assertThat(e.getMessage()).contains("credentials_file").contains("not a usable credentials file")
                .doesNotContain("TOP-SECRET");
        Files.writeString(file, "not json at all");
        configError(Map.of("bucket", "b-1", "credentials_file", file.toString()));
    }

    @Test
    void a_service_account_key_can_sign_and_is_never_shown() throws Exception {
        ServiceAccountKeys account = ServiceAccountKeys.write(dir);
        GcsBlobStore store = new GcsBlobStore(config(Map.of("bucket", "b-1", "credentials_file", account.file.toString())));
        assertThat(store.capabilities().presign()).isTrue();
        assertThat(store.feature(Presigner.class)).isPresent();
        assertThat(store.toString()).contains("credentials_file").doesNotContain("PRIVATE KEY");
    }

    @Test
    void a_user_login_cannot_sign_so_presign_is_off() throws Exception {
        Path file = dir.resolve("user.json");
        Files.writeString(file, "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\"s\","
                + "\"refresh_token\":\"r\"}");
        GcsBlobStore store = new GcsBlobStore(config(Map.of("bucket", "b-1", "credentials_file", file.toString())));
        assertThat(store.capabilities().presign()).isFalse();
        assertThat(store.feature(Presigner.class)).isEmpty();
    }

    @Test
    void a_bad_endpoint_is_a_config_error_naming_the_setting() {
        assertThat(configError(Map.of("bucket", "b-1", "endpoint", "not a url")).getMessage()).contains("GCS_ENDPOINT");
    }

    @Test
    void versioning_offers_the_versioned_feature() {
        Map<String, String> s = new HashMap<>(Map.of("bucket", "b-1", "versioning", "true"));
        GcsBlobStore store = new GcsBlobStore(config(s));
        assertThat(store.capabilities().versioning()).isTrue();
        assertThat(store.feature(Versioned.class)).isPresent();
    }

    @Test
    void tiers_map_to_storage_classes_and_back() {
        Tiered tiered = new GcsBlobStore(config(Map.of("bucket", "b-1"))).feature(Tiered.class).orElseThrow();
        assertThat(tiered.storageClasses()).containsExactly("STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE");
        for (Tier t : Tier.values()) {
            assertThat(GcsTiering.tierOf(tiered.storageClassOf(t))).isEqualTo(t);
        }
        assertThat(GcsTiering.tierOf(null)).isEqualTo(Tier.HOT);
        ContractAssertions.assertFails(ErrorKind.INVALID_ARGUMENT,
                () -> tiered.setStorageClass(io.stowage.BlobKey.of("a"), "GLACIER"));
    }
}
