package io.stowage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.memory.MemoryBlobStoreProvider;
import io.stowage.spi.BackendConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StowageConfigTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETVALUE";

    @TempDir
    Path wd;

    private StowageConfig load(Map<String, String> env) {
        return StowageConfig.load(ConfigSources.of(env, wd));
    }

    private StowageConfig load(Map<String, String> flags, Map<String, String> env) {
        return StowageConfig.load(new ConfigSources(flags, env, wd));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(wd.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private InvalidConfigException failure(Map<String, String> env) {
        return catchThrowableOfType(InvalidConfigException.class, () -> load(env));
    }

    // ---- defaults ----------------------------------------------------------------------------

    @Test
    void with_nothing_configured_the_primary_is_local_under_storage_in_the_working_directory() {
        StowageConfig c = load(Map.of());
        assertThat(c.primary()).isEqualTo("local");
        assertThat(c.home()).isEqualTo(wd.resolve("storage"));
        assertThat(c.backends()).containsOnlyKeys("local");
        BackendConfig local = c.backend("local");
        assertThat(local.type()).isEqualTo("local");
        assertThat(local.get("path")).contains(wd.resolve("storage").toString());
        assertThat(local.home()).isEqualTo(wd.resolve("storage"));
        assertThat(c.fallback()).isEmpty();
        assertThat(c.mirror()).isEmpty();
        assertThat(c.tiers()).isEmpty();
    }

    @Test
    void stowage_home_moves_state_and_the_local_default_root() {
        StowageConfig c = load(Map.of("STOWAGE_HOME", "data/home"));
        assertThat(c.home()).isEqualTo(wd.resolve("data/home"));
        assertThat(c.backend("local").get("path")).contains(wd.resolve("data/home").toString());
    }

    @Test
    void local_storage_path_sets_the_local_root_but_not_home() {
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "local", "LOCAL_STORAGE_PATH", "/srv/files"));
        assertThat(c.backend("local").get("path")).contains("/srv/files");
        assertThat(c.home()).isEqualTo(wd.resolve("storage"));
    }

    @Test
    void unrelated_environment_variables_are_ignored() {
        StowageConfig c = load(Map.of("PATH", "/usr/bin", "HOME", "/root", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"));
        assertThat(c.backends()).containsOnlyKeys("local");
    }

    // ---- precedence --------------------------------------------------------------------------

    @Test
    void flags_win_over_environment_over_dotenv_over_yaml_over_defaults() throws IOException {
        write("stowage.yaml", """
                primary: memory
                home: from-yaml
                backends:
                  minio: { type: minio, endpoint: "http://yaml:9000", bucket: yaml-bucket, region: eu-west-1 }
                """);
        write(".env", """
                MINIO_BUCKET_NAME=dotenv-bucket
                MINIO_ENDPOINT_URL=http://dotenv:9000
                STOWAGE_HOME=from-dotenv
                """);
        Map<String, String> env = Map.of("MINIO_ENDPOINT_URL", "http://env:9000", "PRIMARY_BACKEND", "minio");
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "local"), env);

        assertThat(c.primary()).isEqualTo("local");
        BackendConfig minio = c.backend("minio");
        assertThat(minio.get("endpoint")).contains("http://env:9000");
        assertThat(minio.get("bucket")).contains("dotenv-bucket");
        assertThat(minio.get("region")).contains("eu-west-1");
        assertThat(minio.get("addressing_style")).contains("path");
        assertThat(c.home()).isEqualTo(wd.resolve("from-dotenv"));

        String shown = c.describe();
        assertThat(shown).containsPattern("primary: local\\s+\\(flag --primary\\)");
        assertThat(shown).containsPattern("endpoint: http://env:9000\\s+\\(env MINIO_ENDPOINT_URL\\)");
        assertThat(shown).containsPattern("bucket: dotenv-bucket\\s+\\(\\.env MINIO_BUCKET_NAME\\)");
        assertThat(shown).containsPattern("region: eu-west-1\\s+\\(yaml stowage.yaml line 4\\)");
        assertThat(shown).containsPattern("addressing_style: path\\s+\\(default\\)");
    }

    @Test
    void the_config_flag_names_another_yaml_file() throws IOException {
        Files.createDirectories(wd.resolve("etc"));
        Files.writeString(wd.resolve("etc/other.yaml"), "primary: memory\n");
        write("stowage.yaml", "primary: local\n");
        StowageConfig c = load(Map.of("STOWAGE_CONFIG", "etc/other.yaml"), Map.of());
        assertThat(c.primary()).isEqualTo("memory");
        assertThat(c.configFile()).contains(wd.resolve("etc/other.yaml"));
    }

    @Test
    void stowage_config_in_the_environment_names_the_yaml_file_and_a_missing_one_is_a_problem() {
        InvalidConfigException e = failure(Map.of("STOWAGE_CONFIG", "nope.yaml"));
        assertThat(e.problems()).singleElement().asString()
                .startsWith("STOWAGE_CONFIG: configuration file not found: ");
    }

    @Test
    void dotenv_understands_export_quotes_and_comments() throws IOException {
        write(".env", """
                # storage
                export PRIMARY_BACKEND=minio
                MINIO_ENDPOINT_URL="http://localhost:9000"   
                MINIO_BUCKET_NAME='my bucket' # the bucket
                MINIO_REGION=eu-central-1 # a comment
                """);
        StowageConfig c = load(Map.of());
        assertThat(c.primary()).isEqualTo("minio");
        assertThat(c.backend("minio").get("endpoint")).contains("http://localhost:9000");
        assertThat(c.backend("minio").get("bucket")).contains("my bucket");
        assertThat(c.backend("minio").get("region")).contains("eu-central-1");
    }

    // ---- the specification names and aliases ---------------------------------------------------

    @Test
    void primary_backend_minio_takes_every_minio_name() {
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "minio", "MINIO_ENDPOINT_URL", "http://m:9000",
                "MINIO_ACCESS_KEY", "minioadmin", "MINIO_SECRET_KEY", SECRET, "MINIO_BUCKET_NAME", "files",
                "MINIO_SECURE", "false", "MINIO_REGION", "eu-west-2"));
        BackendConfig m = c.backend("minio");
        assertThat(m.type()).isEqualTo("minio");
        assertThat(m.settings()).containsEntry("endpoint", "http://m:9000").containsEntry("access_key", "minioadmin")
                .containsEntry("secret_key", SECRET).containsEntry("bucket", "files").containsEntry("use_ssl", "false")
                .containsEntry("region", "eu-west-2").containsEntry("addressing_style", "path")
                .containsEntry("create_bucket", "true");
    }

    @Test
    void primary_backend_aws_s3_takes_every_aws_name() {
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "aws_s3", "AWS_S3_BUCKET_NAME", "files",
                "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", SECRET,
                "AWS_S3_STORAGE_CLASS", "STANDARD_IA", "AWS_S3_SSE", "aws:kms"));
        assertThat(c.backend("aws_s3").settings()).containsEntry("bucket", "files").containsEntry("region", "eu-west-1")
                .containsEntry("access_key", "AKIAEXAMPLE").containsEntry("secret_key", SECRET)
                .containsEntry("storage_class", "STANDARD_IA").containsEntry("sse", "aws:kms")
                .containsEntry("create_bucket", "true").doesNotContainKey("addressing_style");
    }

    @Test
    void s3_as_primary_backend_means_aws_s3() {
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "s3", "S3_BUCKET_NAME", "files"));
        assertThat(c.primary()).isEqualTo("aws_s3");
    }

    @Test
    void storage_type_is_an_alias_of_primary_backend() {
        assertThat(load(Map.of("STORAGE_TYPE", "local")).primary()).isEqualTo("local");
        assertThat(load(Map.of("STORAGE_TYPE", "s3", "S3_BUCKET_NAME", "b")).primary()).isEqualTo("aws_s3");
        StowageConfig c = load(Map.of("STORAGE_TYPE", "s3_compatible", "S3_COMPATIBLE_ENDPOINT", "http://b2:443",
                "S3_COMPATIBLE_BUCKET_NAME", "b", "S3_COMPATIBLE_ACCESS_KEY", "id", "S3_COMPATIBLE_SECRET_KEY", SECRET,
                "S3_COMPATIBLE_REGION", "us-west-002", "S3_COMPATIBLE_USE_SSL", "true",
                "S3_COMPATIBLE_ADDRESSING_STYLE", "virtual"));
        assertThat(c.primary()).isEqualTo("s3_compatible");
        assertThat(c.backend("s3_compatible").settings()).containsEntry("endpoint", "http://b2:443")
                .containsEntry("bucket", "b").containsEntry("access_key", "id").containsEntry("secret_key", SECRET)
                .containsEntry("region", "us-west-002").containsEntry("use_ssl", "true")
                .containsEntry("addressing_style", "virtual");
    }

    @Test
    void s3_compatible_bucket_is_accepted_too() {
        StowageConfig c = load(Map.of("STORAGE_TYPE", "s3_compatible", "S3_COMPATIBLE_ENDPOINT", "http://x",
                "S3_COMPATIBLE_BUCKET", "short-name"));
        assertThat(c.backend("s3_compatible").get("bucket")).contains("short-name");
        assertThat(c.backend("s3_compatible").get("region")).contains("us-east-1");
    }

    @Test
    void bhiv_storage_backend_is_an_alias_of_primary_backend() {
        assertThat(load(Map.of("BHIV_STORAGE_BACKEND", "local")).primary()).isEqualTo("local");
        assertThat(load(Map.of("BHIV_STORAGE_BACKEND", "s3", "S3_BUCKET_NAME", "b")).primary()).isEqualTo("aws_s3");
    }

    @Test
    void primary_backend_wins_over_its_aliases_in_the_same_source() {
        assertThat(load(Map.of("PRIMARY_BACKEND", "memory", "STORAGE_TYPE", "local", "BHIV_STORAGE_BACKEND", "local"))
                .primary()).isEqualTo("memory");
    }

    @Test
    void use_s3_storage_means_aws_s3_mirrored_to_local() {
        StowageConfig c = load(Map.of("USE_S3_STORAGE", "true", "S3_BUCKET_NAME", "ai-agent-storage",
                "S3_REGION", "us-east-1", "S3_ENDPOINT_URL", "http://localhost:9000",
                "AWS_ACCESS_KEY_ID", "minioadmin", "AWS_SECRET_ACCESS_KEY", SECRET));
        assertThat(c.primary()).isEqualTo("aws_s3");
        assertThat(c.mirror()).containsExactly("local");
        assertThat(c.backend("aws_s3").settings()).containsEntry("bucket", "ai-agent-storage")
                .containsEntry("region", "us-east-1").containsEntry("endpoint", "http://localhost:9000");
        assertThat(load(Map.of("USE_S3_STORAGE", "false")).primary()).isEqualTo("local");
    }

    @Test
    void aws_default_region_applies_only_when_aws_region_is_absent() {
        assertThat(load(Map.of("S3_BUCKET_NAME", "b", "AWS_DEFAULT_REGION", "ap-south-1")).backend("aws_s3")
                .get("region")).contains("ap-south-1");
        assertThat(load(Map.of("S3_BUCKET_NAME", "b", "AWS_DEFAULT_REGION", "ap-south-1", "AWS_REGION", "eu-north-1"))
                .backend("aws_s3").get("region")).contains("eu-north-1");
    }

    @Test
    void azure_and_gcs_names_map_onto_their_backend_keys() {
        StowageConfig c = load(env("PRIMARY_BACKEND", "azure_blob", "AZURE_ACCOUNT_NAME", "acct",
                "AZURE_ACCOUNT_KEY", SECRET, "AZURE_CONTAINER_NAME", "files", "AZURE_BLOB_TIER", "Cool",
                "AZURE_STORAGE_ENDPOINT", "http://127.0.0.1:10000/acct", "AZURE_SAS_TOKEN", "sv=2024&sig=abc",
                "GCS_BUCKET_NAME", "gb", "GCS_PROJECT_ID", "proj", "GOOGLE_APPLICATION_CREDENTIALS", "creds/sa.json",
                "GCS_STORAGE_CLASS", "NEARLINE"));
        assertThat(c.backend("azure_blob").settings()).containsEntry("account_name", "acct")
                .containsEntry("account_key", SECRET).containsEntry("container", "files").containsEntry("tier", "Cool")
                .containsEntry("endpoint", "http://127.0.0.1:10000/acct").containsEntry("sas_token", "sv=2024&sig=abc");
        assertThat(c.backend("gcs").settings()).containsEntry("bucket", "gb").containsEntry("project_id", "proj")
                .containsEntry("credentials_file", wd.resolve("creds/sa.json").toString())
                .containsEntry("storage_class", "NEARLINE");
        assertThat(c.backend("gcs").type()).isEqualTo("gcs");
    }

    @Test
    void a_connection_string_alone_configures_azure() {
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "azure_blob", "AZURE_STORAGE_CONNECTION_STRING",
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + SECRET,
                "AZURE_CONTAINER_NAME", "c"));
        assertThat(c.backend("azure_blob").get("connection_string")).isPresent();
    }

    // ---- stowage.yaml -------------------------------------------------------------------------

    @Test
    void yaml_names_backends_and_routing_and_reads_secrets_from_the_environment() throws IOException {
        write("stowage.yaml", """
                backends:
                  aws_hot:      { type: aws_s3, bucket: files, storage_class: STANDARD, secret_key: "${HOT_SECRET}" }
                  aws_cold:     { type: s3, bucket: files-archive, storage_class: GLACIER, region: "${COLD_REGION:-eu-west-1}" }
                  azure_backup:
                    type: azure_blob
                    container: backup
                    tier: Archive
                    account_name: acct
                    capabilities: { conditional_put: false, versioning: false }
                  azure_archive: { type: azure_blob, container: archive, tier: Archive, account_name: acct }
                primary: aws_hot
                fallback: [local]
                mirror: [azure_backup]
                tiers: { HOT: aws_hot, COLD: aws_cold, ARCHIVE: azure_archive }
                """);
        StowageConfig c = load(Map.of("HOT_SECRET", SECRET));
        assertThat(c.primary()).isEqualTo("aws_hot");
        assertThat(c.fallback()).containsExactly("local");
        assertThat(c.mirror()).containsExactly("azure_backup");
        assertThat(c.tiers()).containsEntry(Tier.HOT, "aws_hot").containsEntry(Tier.COLD, "aws_cold")
                .containsEntry(Tier.ARCHIVE, "azure_archive");
        assertThat(c.backends()).containsOnlyKeys("aws_cold", "aws_hot", "azure_archive", "azure_backup", "local");
        assertThat(c.backend("aws_hot").get("secret_key")).contains(SECRET);
        assertThat(c.backend("aws_cold").type()).isEqualTo("aws_s3");
        assertThat(c.backend("aws_cold").get("region")).contains("eu-west-1");
        BackendConfig azure = c.backend("azure_backup");
        assertThat(azure.section("capabilities")).containsEntry("conditional_put", "false")
                .containsEntry("versioning", "false");
        assertThat(azure.name()).isEqualTo("azure_backup");
    }

    @Test
    void a_yaml_may_name_a_type_whose_module_is_absent_until_it_is_opened() throws IOException {
        write("stowage.yaml", """
                backends:
                  blobs: { type: azure_blob, container: c, connection_string: "${AZ}" }
                primary: blobs
                """);
        StowageConfig c = load(Map.of("AZ", SECRET));
        BlobStoreProviders onlyMemory = BlobStoreProviders.of(new MemoryBlobStoreProvider());
        StorageException e = catchThrowableOfType(StorageException.class, () -> c.openPrimary(onlyMemory));
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage()).contains("azure_blob").contains("stowage-backend-azure").contains("memory")
                .doesNotContain(SECRET);
    }

    @Test
    void the_primary_opens_through_the_provider_registry() {
        StowageConfig c = load(Map.of("PRIMARY_BACKEND", "memory"));
        try (BlobStore store = c.openPrimary(BlobStoreProviders.of(new MemoryBlobStoreProvider()))) {
            store.put(BlobKey.of("a/b.txt"), io.stowage.BlobContent.ofUtf8("hi"));
            assertThat(store.name()).isEqualTo("memory");
            assertThat(store.exists(BlobKey.of("a/b.txt"))).isTrue();
        }
    }

    @Test
    void the_environment_overrides_a_yaml_backend_of_the_same_name() throws IOException {
        write("stowage.yaml", """
                backends:
                  minio: { type: minio, endpoint: "http://yaml:9000", bucket: b }
                primary: minio
                """);
        StowageConfig c = load(Map.of("MINIO_BUCKET_NAME", "from-env"));
        assertThat(c.backend("minio").get("bucket")).contains("from-env");
        assertThat(c.backend("minio").get("endpoint")).contains("http://yaml:9000");
    }

    // ---- problems -----------------------------------------------------------------------------

    @Test
    void an_unknown_primary_names_the_setting_and_the_known_backends() {
        InvalidConfigException e = failure(Map.of("PRIMARY_BACKEND", "foo", "MINIO_ENDPOINT_URL", "http://m",
                "MINIO_BUCKET_NAME", "b"));
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.problems()).containsExactly("PRIMARY_BACKEND: unknown backend 'foo' (known: local, minio)");
        assertThat(e.getMessage()).contains("PRIMARY_BACKEND: unknown backend 'foo' (known: local, minio)")
                .doesNotContain("\n");
    }

    @Test
    void every_problem_is_reported_at_once() throws IOException {
        write("stowage.yaml", """
                backends:
                  aws_hot: { type: aws_s3, secret_key: "${MISSING_SECRET}", use_ssl: maybe }
                  nameless: { bucket: b }
                primary: aws_hot
                mirror: [nowhere]
                tiers: { SCORCHING: aws_hot }
                fallbak: [local]
                """);
        write(".env", "this is not an assignment\n");
        InvalidConfigException e = failure(Map.of("USE_S3_STORAGE", "perhaps", "S3_COMPATIBLE_ADDRESSING_STYLE",
                "sideways", "S3_COMPATIBLE_ENDPOINT", "http://x", "STOWAGE_MIRROR", "s3_compatible"));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                ".env line 1: expected NAME=value",
                "USE_S3_STORAGE: must be true or false, was 'perhaps'",
                "stowage.yaml line 2: backends.aws_hot.secret_key: environment variable MISSING_SECRET is not set",
                "stowage.yaml line 7: unknown setting 'fallbak' (known: backends, primary, fallback, fallback_on, mirror, "
                        + "mirror_mode, tiers, layers, health_interval, home" + sectionsOnTheClassPath() + ")",
                "stowage.yaml line 6: tiers.SCORCHING: unknown tier 'SCORCHING' (expected HOT, WARM, COLD or ARCHIVE)",
                "stowage.yaml line 2: backends.aws_hot.use_ssl: must be true or false, was 'maybe'",
                "stowage.yaml line 2: backends.aws_hot.bucket: required",
                "stowage.yaml line 3: backends.nameless.type: required (one of local, memory, minio, aws_s3, "
                        + "s3_compatible, azure_blob, gcs, or another installed type)",
                "S3_COMPATIBLE_ADDRESSING_STYLE: must be auto, path or virtual, was 'sideways'",
                "backends.s3_compatible.bucket: required (set S3_COMPATIBLE_BUCKET_NAME)");
        assertThat(e.getMessage()).startsWith("CONFIG: invalid configuration, 10 problems: ").doesNotContain("\n");
    }

    /** The sections other modules declare ({@code database}, {@code auth}...), as the known keys list them. */
    private static String sectionsOnTheClassPath() {
        return SettingsSection.load().stream().map(section -> ", " + section.name())
                .collect(java.util.stream.Collectors.joining());
    }

    @Test
    void a_backend_is_a_fallback_or_a_mirror_replica_not_both_and_the_primary_is_neither() throws IOException {
        write("stowage.yaml", """
                backends:
                  main: { type: memory }
                  spare: { type: memory }
                primary: main
                fallback: [spare, main, spare]
                mirror: [spare, main]
                """);
        assertThat(failure(Map.of()).problems()).containsExactly(
                "stowage.yaml line 5: fallback: backend 'spare' is named twice",
                "stowage.yaml line 6: mirror: backend 'spare' is also a fallback; a mirror replica needs a backend of"
                        + " its own (another path, bucket or container), since replay removes what was written to a"
                        + " fallback during an outage");
        InvalidConfigException fromEnv = failure(Map.of("STOWAGE_FALLBACK", "local", "STOWAGE_MIRROR", "local",
                "PRIMARY_BACKEND", "memory"));
        assertThat(fromEnv.problems()).singleElement().asString().startsWith("STOWAGE_MIRROR: backend 'local' is also a fallback");

        write("stowage.yaml", """
                backends:
                  main: { type: memory }
                  spare: { type: memory }
                  copy: { type: memory }
                primary: main
                fallback: [spare]
                mirror: [copy]
                """);
        StowageConfig onTheSpare = load(Map.of("PRIMARY_BACKEND", "spare"), Map.of());
        assertThat(onTheSpare.primary()).isEqualTo("spare");
        assertThat(onTheSpare.fallback()).as("the primary does not fail over to itself").isEmpty();
        assertThat(onTheSpare.mirror()).containsExactly("copy");
        assertThat(load(Map.of("PRIMARY_BACKEND", "copy"), Map.of()).mirror()).isEmpty();
    }

    @Test
    void a_prefix_that_is_not_key_segments_ending_with_a_slash_is_reported_with_its_setting() throws IOException {
        write("stowage.yaml", """
                backends:
                  ns: { type: memory, prefix: tenant1 }
                  up: { type: memory, prefix: "../up/" }
                  ok: { type: memory, prefix: tenant-a/, read_only: maybe }
                primary: ok
                fallback: [ns, up]
                """);
        assertThat(failure(Map.of()).problems()).containsExactlyInAnyOrder(
                "stowage.yaml line 2: backends.ns.prefix: must end with '/', such as 'tenant-a/', was 'tenant1'",
                "stowage.yaml line 3: backends.up.prefix: must be key segments ending with '/' (invalid key '../up': "
                        + "segment '..' at position 0 (no relative paths)), such as 'tenant-a/', was '../up/'",
                "stowage.yaml line 4: backends.ok.read_only: must be true or false, was 'maybe'");
    }

    @Test
    void a_mirror_from_the_environment_overrides_the_yaml_one() throws IOException {
        write("stowage.yaml", "mirror: [nowhere]\n");
        assertThat(load(Map.of("STOWAGE_MIRROR", "memory")).mirror()).containsExactly("memory");
        InvalidConfigException e = failure(Map.of());
        assertThat(e.problems()).containsExactly(
                "stowage.yaml line 1: mirror: unknown backend 'nowhere' (known: local)");
    }

    @Test
    void a_cloud_primary_without_its_bucket_names_the_environment_variable() {
        InvalidConfigException e = failure(Map.of("PRIMARY_BACKEND", "minio", "MINIO_SECRET_KEY", SECRET));
        assertThat(e.problems()).containsExactly(
                "backends.minio.endpoint: required (set MINIO_ENDPOINT_URL)",
                "backends.minio.bucket: required (set MINIO_BUCKET_NAME)");
        assertThat(e.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void azure_needs_a_container_and_a_way_to_authenticate() {
        InvalidConfigException e = failure(Map.of("PRIMARY_BACKEND", "azure_blob"));
        assertThat(e.problems()).containsExactly(
                "backends.azure_blob.container: required (set AZURE_CONTAINER_NAME)",
                "backends.azure_blob.connection_string: required (set AZURE_STORAGE_CONNECTION_STRING)"
                        + " (or account_name with account_key or sas_token)");
    }

    @Test
    void broken_yaml_names_the_line_without_quoting_it() throws IOException {
        write("stowage.yaml", """
                backends:
                  aws: { type: aws_s3, secret_key: %s
                primary: [
                """.formatted(SECRET));
        InvalidConfigException e = failure(Map.of());
        assertThat(e.problems()).singleElement().asString().matches("stowage\\.yaml line \\d+: not valid YAML: .*");
        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 12));
    }

    @Test
    void unused_environment_backends_are_not_validated() {
        StowageConfig c = load(Map.of("AZURE_CONTAINER_NAME", "c"));
        assertThat(c.backends()).containsKeys("azure_blob", "local");
        assertThat(c.primary()).isEqualTo("local");
    }

    // ---- secrets ------------------------------------------------------------------------------

    @Test
    void describe_masks_every_secret_and_shows_every_source() throws IOException {
        write("stowage.yaml", """
                backends:
                  cold: { type: aws_s3, bucket: archive, secret_key: "%s", access_key: AKIAYAML }
                """.formatted(SECRET));
        Map<String, String> env = new HashMap<>(Map.of("PRIMARY_BACKEND", "minio", "MINIO_ENDPOINT_URL", "http://m:9000",
                "MINIO_BUCKET_NAME", "b", "MINIO_ACCESS_KEY", "minioadmin", "MINIO_SECRET_KEY", SECRET + "1",
                "AZURE_STORAGE_CONNECTION_STRING", "AccountKey=" + SECRET + "2", "AZURE_CONTAINER_NAME", "c",
                "AZURE_SAS_TOKEN", SECRET + "3", "STOWAGE_SIGNING_KEY", SECRET + "4"));
        StowageConfig c = load(env);
        String shown = c.describe();
        for (String s : List.of(SECRET, SECRET + "1", SECRET + "2", SECRET + "3", SECRET + "4")) {
            assertThat(shown).doesNotContain(s);
            assertThat(c.toString()).doesNotContain(s);
        }
        assertThat(shown).doesNotContain(SECRET.substring(0, 8));
        assertThat(shown).contains("access_key: minioadmin").contains("access_key: AKIAYAML");
        assertThat(shown).containsPattern("secret_key: \\*\\*\\*\\*\\w*\\s+\\(env MINIO_SECRET_KEY\\)");
        assertThat(shown).contains("minio (minio)  [primary]");
        assertThat(shown).containsPattern("path: .*storage\\s+\\(default STOWAGE_HOME\\)");
        assertThat(shown).contains("STOWAGE_SIGNING_KEY: ****");
        assertThat(c.backend("cold").toString()).doesNotContain(SECRET);
    }

    @Test
    void a_secret_value_never_appears_in_an_error_message() throws IOException {
        write("stowage.yaml", """
                backends:
                  a: { type: azure_blob, container: c, account_name: n, account_key: "%s" }
                  b: { type: minio, endpoint: "http://x", bucket: b, secret_key: "%s", use_ssl: "%s" }
                primary: missing
                """.formatted(SECRET, SECRET, SECRET));
        InvalidConfigException e = failure(Map.of("AWS_SECRET_ACCESS_KEY", SECRET, "MINIO_SECURE", "x"));
        assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(SECRET.substring(0, 10));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("primary: unknown backend 'missing'"));
    }

    @Test
    void service_settings_pass_through_with_precedence() throws IOException {
        write(".env", "LOG_LEVEL=debug\nSTOWAGE_DATABASE_URL=jdbc:sqlite:x.db\n");
        StowageConfig c = load(Map.of("LOG_LEVEL", "info"));
        assertThat(c.setting("LOG_LEVEL")).contains("info");
        assertThat(c.setting("STOWAGE_DATABASE_URL")).contains("jdbc:sqlite:x.db");
        assertThat(c.setting("STOWAGE_HOME")).isEmpty();
    }

    @Test
    void asking_for_an_unconfigured_backend_is_a_config_error() {
        assertThatThrownBy(() -> load(Map.of()).backend("nope"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("unknown backend 'nope' (known: local)");
    }
    // ---- routing and layer settings ------------------------------------------------------------

    @Test
    void layer_settings_apply_to_every_backend_unless_a_backend_sets_its_own() throws IOException {
        write("stowage.yaml", """
                backends:
                  steady: { type: memory }
                  flaky: { type: memory, retry: { max_attempts: 7 }, timeout: { write: 2m, mode: watchdog } }
                primary: steady
                fallback: [flaky]
                layers:
                  retry: { max_attempts: 5, budget: 20s }
                  timeout: { metadata: 4s, write: 10m, mode: handoff }
                  circuit: { failure_rate: 25, open_for: 1m }
                """);
        StowageConfig c = load(Map.of());
        io.stowage.layer.LayerSettings steady = io.stowage.layer.LayerSettings.from(c.backend("steady"));
        assertThat(steady.retry().maxAttempts()).isEqualTo(5);
        assertThat(steady.retry().budget()).hasSeconds(20);
        assertThat(steady.timeouts().metadata()).hasSeconds(4);
        assertThat(steady.timeouts().write()).hasMinutes(10);
        assertThat(steady.timeouts().mode()).isEqualTo(io.stowage.layer.Timeouts.Mode.HANDOFF);
        assertThat(steady.circuitBreaker().failureRatePercent()).isEqualTo(25f);
        assertThat(steady.circuitBreaker().openFor()).hasMinutes(1);
        io.stowage.layer.LayerSettings flaky = io.stowage.layer.LayerSettings.from(c.backend("flaky"));
        assertThat(flaky.retry().maxAttempts()).isEqualTo(7);
        assertThat(flaky.retry().budget()).hasSeconds(20);
        assertThat(flaky.timeouts().write()).hasMinutes(2);
        assertThat(flaky.timeouts().mode()).isEqualTo(io.stowage.layer.Timeouts.Mode.WATCHDOG);
        assertThat(c.describe()).containsPattern("retry.max_attempts: 5 +\\(yaml stowage.yaml line 7\\)")
                .containsPattern("retry.max_attempts: 7 +\\(yaml stowage.yaml line 3\\)");
    }

    @Test
    void bad_layer_settings_are_reported_with_every_other_problem() throws IOException {
        write("stowage.yaml", """
                backends:
                  main: { type: memory, timeout: { write: soon } }
                primary: main
                mirror_mode: later
                health_interval: 0s
                layers:
                  retry: { max_attempts: many, patience: 3 }
                  circuit: { failure_rate: 150 }
                  timeout: { mode: later }
                """);
        InvalidConfigException e = failure(Map.of());
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "stowage.yaml line 2: backends.main.timeout.write: must be a positive duration such as 30s or 500ms,"
                        + " was 'soon'",
                "stowage.yaml line 4: mirror_mode: must be sync or async, was 'later'",
                "stowage.yaml line 5: health_interval: must be a positive duration such as 30s or 500ms, was '0s'",
                "stowage.yaml line 7: layers.retry.max_attempts: must be a positive whole number, was 'many'",
                "stowage.yaml line 7: layers.retry.patience: unknown layer setting (known: circuit.failure_rate, "
                        + "circuit.half_open_calls, circuit.minimum_calls, circuit.open_for, circuit.window, "
                        + "retry.budget, retry.initial_backoff, retry.max_attempts, retry.max_backoff, "
                        + "timeout.first_byte, timeout.metadata, timeout.mode, timeout.read_idle, timeout.write)",
                "stowage.yaml line 8: layers.circuit.failure_rate: must be a positive whole number, was '150'",
                "stowage.yaml line 9: layers.timeout.mode: must be watchdog or handoff, was 'later'");
    }

    @Test
    void mirror_mode_and_health_interval_come_from_yaml_or_the_environment() throws IOException {
        assertThat(load(Map.of()).mirrorMode()).isEqualTo(io.stowage.composite.MirrorStore.Mode.SYNC);
        assertThat(load(Map.of()).healthInterval()).hasSeconds(30);
        write("stowage.yaml", "mirror_mode: async\nhealth_interval: 5s\n");
        assertThat(load(Map.of()).mirrorMode()).isEqualTo(io.stowage.composite.MirrorStore.Mode.ASYNC);
        assertThat(load(Map.of()).healthInterval()).hasSeconds(5);
        StowageConfig env = load(Map.of("STOWAGE_MIRROR_MODE", "SYNC", "STOWAGE_HEALTH_INTERVAL", "250ms"));
        assertThat(env.mirrorMode()).isEqualTo(io.stowage.composite.MirrorStore.Mode.SYNC);
        assertThat(env.healthInterval()).hasMillis(250);
        assertThat(env.setting("STOWAGE_MIRROR_MODE")).as("consumed, not a pass-through setting").isEmpty();
    }
}
