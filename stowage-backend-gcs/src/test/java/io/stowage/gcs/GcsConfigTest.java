package io.stowage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.Presigner;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.Versioned;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.BlobStoreProvider;
import io.stowage.spi.BlobStoreProviders;
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
    void theProviderIsRegisteredAsGcsAndOpensItsExampleWithoutTheNetwork() {
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
    void defaultsAreTheBucketDefaultClassEightMiBChunksAndNoVersioning() {
        GcsBlobStoreConfig c = config(Map.of("bucket", "my-bucket"));
        assertThat(c.storageClass()).isEmpty();
        assertThat(c.chunkSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(c.versioning()).isFalse();
        assertThat(c.createBucket()).isTrue();
        assertThat(c.where()).isEqualTo("https://storage.googleapis.com");
        assertThat(new GcsBlobStore(c).feature(Versioned.class)).isEmpty();
    }

    @Test
    void aMissingBucketIsAConfigError() {
        assertThat(configError(Map.of()).getMessage()).contains("bucket");
    }

    @Test
    void anInvalidBucketNameIsAConfigErrorNamingTheSetting() {
        for (String bad : new String[] {"UPPER", "a", "-dash", "has space", "x".repeat(64)}) {
            assertThat(configError(Map.of("bucket", bad)).getMessage()).contains("GCS_BUCKET_NAME");
        }
    }

    @Test
    void storageClassesAreCheckedAndAcceptedInAnyCase() {
        assertThat(config(Map.of("bucket", "b-1", "storage_class", "coldline")).storageClass()).contains("COLDLINE");
        assertThat(configError(Map.of("bucket", "b-1", "storage_class", "GLACIER")).getMessage())
                .contains("GCS_STORAGE_CLASS").contains("NEARLINE");
    }

    @Test
    void chunkSizeMustBeAMultipleOf256KiB() {
        assertThat(config(Map.of("bucket", "b-1", "chunk_size", "512KiB")).chunkSize()).isEqualTo(512 * 1024);
        assertThat(configError(Map.of("bucket", "b-1", "chunk_size", "300KiB")).getMessage()).contains("chunk_size");
        configError(Map.of("bucket", "b-1", "chunk_size", "1KiB"));
    }

    @Test
    void aMissingCredentialsFileIsOneConfigErrorNamingTheSetting() {
        StorageException e = configError(Map.of("bucket", "b-1", "credentials_file", dir.resolve("nope.json").toString()));
        assertThat(e.getMessage()).contains("credentials_file").contains("GOOGLE_APPLICATION_CREDENTIALS")
                .contains("does not exist");
    }

    @Test
    void anInvalidCredentialsFileIsAConfigErrorThatDoesNotEchoItsContent() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"type\":\"service_account\",\"private_key\":\"TOP-SECRET-KEY-MATERIAL\"}");
        StorageException e = configError(Map.of("bucket", "b-1", "credentials_file", file.toString()));
        assertThat(e.getMessage()).contains("credentials_file").contains("not a usable credentials file")
                .doesNotContain("TOP-SECRET");
        Files.writeString(file, "not json at all");
        configError(Map.of("bucket", "b-1", "credentials_file", file.toString()));
    }

    @Test
    void aServiceAccountKeyCanSignAndIsNeverShown() throws Exception {
        ServiceAccountKeys account = ServiceAccountKeys.write(dir);
        GcsBlobStore store = new GcsBlobStore(config(Map.of("bucket", "b-1", "credentials_file", account.file.toString())));
        assertThat(store.capabilities().presign()).isTrue();
        assertThat(store.feature(Presigner.class)).isPresent();
        assertThat(store.toString()).contains("credentials_file").doesNotContain("PRIVATE KEY");
    }

    @Test
    void aUserLoginCannotSignSoPresignIsOff() throws Exception {
        Path file = dir.resolve("user.json");
        Files.writeString(file, "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\"s\","
                + "\"refresh_token\":\"r\"}");
        GcsBlobStore store = new GcsBlobStore(config(Map.of("bucket", "b-1", "credentials_file", file.toString())));
        assertThat(store.capabilities().presign()).isFalse();
        assertThat(store.feature(Presigner.class)).isEmpty();
    }

    @Test
    void aBadEndpointIsAConfigErrorNamingTheSetting() {
        assertThat(configError(Map.of("bucket", "b-1", "endpoint", "not a url")).getMessage()).contains("GCS_ENDPOINT");
    }

    @Test
    void versioningOffersTheVersionedFeature() {
        Map<String, String> s = new HashMap<>(Map.of("bucket", "b-1", "versioning", "true"));
        GcsBlobStore store = new GcsBlobStore(config(s));
        assertThat(store.capabilities().versioning()).isTrue();
        assertThat(store.feature(Versioned.class)).isPresent();
    }

    @Test
    void tiersMapToStorageClassesAndBack() {
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
