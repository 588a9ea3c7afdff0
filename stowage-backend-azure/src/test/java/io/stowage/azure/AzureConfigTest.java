package io.stowage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings of the azure_blob type, parsed without a server. */
class AzureConfigTest {

    private static final String KEY = "c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw==";

    private static AzureBlobStoreConfig parse(Map<String, String> settings) {
        return AzureBlobStoreConfig.from(new BackendConfig("az", "azure_blob", settings, Path.of("target")));
    }

    @Test
    void the_type_is_registered_and_opens_from_its_example_settings_without_a_network() {
        BlobStoreProviders providers = BlobStoreProviders.load();
        assertThat(providers.types()).contains("azure_blob");
        var provider = providers.find("azure_blob").orElseThrow();
        try (BlobStore store = provider.open(new BackendConfig("ex", "azure_blob", provider.exampleSettings(),
                Path.of("target")))) {
            assertThat(store.capabilities().tiers()).isTrue();
            assertThat(store.capabilities().presign()).isTrue();
            assertThat(store.capabilities().versioning()).isFalse();
            assertThat(store.capabilities().listUtf16Order()).isTrue();
            assertThat(store.capabilities().maxObjectSize()).isEqualTo(8L * 1024 * 1024 * 50_000);
        }
    }

    @Test
    void a_connection_string_comes_first_then_account_and_key_then_a_sas_token() {
        AzureBlobStoreConfig cs = parse(Map.of("connection_string", "UseDevelopmentStorage=true", "account_name", "acc",
                "account_key", KEY, "container", "files"));
        assertThat(cs.connectionString()).isPresent();
        assertThat(cs.endpoint()).as("the connection string carries its own endpoint").isEmpty();
        AzureBlobStoreConfig key = parse(Map.of("account_name", "acc", "account_key", KEY, "sas_token", "sv=1&sig=x",
                "container", "files"));
        assertThat(key.endpoint()).map(Object::toString).contains("https://acc.blob.core.windows.net");
        assertThat(key.hasSharedKey()).isTrue();
        AzureBlobStoreConfig sas = parse(Map.of("account_name", "acc", "sas_token", "?sv=1&sig=x", "container", "files"));
        assertThat(sas.sasToken()).contains("sv=1&sig=x");
        assertThat(sas.hasSharedKey()).isFalse();
        AzureBlobStoreConfig custom = parse(Map.of("account_name", "devstoreaccount1", "account_key", KEY,
                "endpoint", "http://127.0.0.1:10000/devstoreaccount1/", "container", "files"));
        assertThat(custom.endpoint()).map(Object::toString).contains("http://127.0.0.1:10000/devstoreaccount1");
    }

    @Test
    void missing_credentials_are_a_config_error_naming_the_environment_variables() {
        assertThatThrownBy(() -> parse(Map.of("account_name", "acc", "container", "files")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING").hasMessageContaining("AZURE_ACCOUNT_KEY")
                .hasMessageContaining("AZURE_SAS_TOKEN");
        assertThatThrownBy(() -> parse(Map.of("sas_token", "sv=1", "container", "files")))
                .hasMessageContaining("AZURE_STORAGE_ENDPOINT");
        assertThatThrownBy(() -> parse(Map.of("account_key", KEY, "container", "files")))
                .hasMessageContaining("AZURE_ACCOUNT_NAME");
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
        "container, Files",
        "container, ab",
        "container, a--b",
        "tier, Glacier",
        "block_size, 1KiB",
        "upload_concurrency, 0",
        "max_attempts, 11",
        "endpoint, not a url"})
    void a_bad_setting_fails_with_config_naming_it(String key, String value) {
        Map<String, String> s = new HashMap<>(Map.of("account_name", "acc", "account_key", KEY, "container", "files"));
        s.put(key, value);
        assertThatThrownBy(() -> parse(s))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining(key);
    }

    @ParameterizedTest(name = "{0}={1} names {2}")
    @CsvSource({
        "container, Files, AZURE_CONTAINER_NAME",
        "tier, Glacier, AZURE_BLOB_TIER",
        "endpoint, not a url, AZURE_STORAGE_ENDPOINT"})
    void a_bad_setting_from_the_environment_names_the_variable_to_fix(String key, String value, String env) {
        Map<String, String> s = new HashMap<>(Map.of("account_name", "acc", "account_key", KEY, "container", "files"));
        s.put(key, value);
        assertThatThrownBy(() -> parse(s)).hasMessageContaining(env);
    }

    @Test
    void an_account_key_that_is_not_base64_fails_at_start_naming_the_setting_and_not_echoing_the_key() {
        String pasted = "my-secret-password!";
        StorageException e = catchThrowableOfType(StorageException.class,
                () -> parse(Map.of("account_name", "acc", "account_key", pasted, "container", "files")));
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage()).contains("AZURE_ACCOUNT_KEY").contains("base64").doesNotContain(pasted);
        assertThat(e.getMessage().lines()).hasSize(1);
    }

    @Test
    void an_account_key_pasted_with_a_line_break_is_used_without_it() {
        assertThat(parse(Map.of("account_name", "acc", "account_key", KEY + "\n", "container", "files")).accountKey())
                .contains(KEY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "secret-text-that-is-no-connection-string",
        "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=secret-text-that-is-no-key!"})
    void a_connection_string_that_cannot_work_fails_at_start_naming_the_setting_and_not_echoing_it(String text) {
        StorageException e = catchThrowableOfType(StorageException.class,
                () -> parse(Map.of("connection_string", text, "container", "files")));
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage()).contains("AZURE_STORAGE_CONNECTION_STRING").doesNotContain("secret-text");
        assertThat(e.getMessage().lines()).hasSize(1);
    }

    @Test
    void a_connection_string_the_sdk_refuses_fails_when_the_backend_opens_with_config_not_echoing_it() {
        var provider = BlobStoreProviders.load().find("azure_blob").orElseThrow();
        String text = "AccountName=acc;AccountKey=" + KEY + ";EndpointSuffix";
        StorageException e = catchThrowableOfType(StorageException.class, () -> provider.open(new BackendConfig("az",
                "azure_blob", Map.of("connection_string", text, "container", "files"), Path.of("target"))).close());
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage()).contains("AZURE_STORAGE_CONNECTION_STRING").doesNotContain(KEY);
    }

    @Test
    void messages_name_the_endpoint_a_connection_string_points_at() {
        assertThat(parse(Map.of("connection_string", "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=" + KEY
                + ";EndpointSuffix=core.chinacloudapi.cn", "container", "files")).where())
                .isEqualTo("https://acc.blob.core.chinacloudapi.cn");
        assertThat(parse(Map.of("connection_string", "AccountName=devstoreaccount1;AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;", "container", "files")).where())
                .isEqualTo("http://127.0.0.1:10000/devstoreaccount1");
    }

    @ParameterizedTest(name = "[{0}] creates the container: {1}")
    @CsvSource({
        "create_container=false, false",
        "create_bucket=false, false",
        "create_container=true create_bucket=false, true",
        "create_container=false create_bucket=true, false",
        "'', true"})
    void create_container_or_the_family_name_create_bucket_turns_container_creation_off(String given, boolean creates) {
        Map<String, String> s = new HashMap<>(Map.of("account_name", "acc", "account_key", KEY, "container", "files"));
        for (String kv : given.split(" ")) {
            if (!kv.isEmpty()) {
                s.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        assertThat(parse(s).createContainer()).isEqualTo(creates);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://127.0.0.1:10000, http://127.0.0.1:10000/devstoreaccount1",
        "http://localhost:10000/, http://localhost:10000/devstoreaccount1",
        "http://127.0.0.1:10000/devstoreaccount1, http://127.0.0.1:10000/devstoreaccount1",
        "https://blob.example.org, https://blob.example.org"})
    void an_emulator_endpoint_without_the_account_gets_it_from_account_name(String given, String used) {
        assertThat(parse(Map.of("account_name", "devstoreaccount1", "account_key", KEY, "endpoint", given,
                "container", "files")).endpoint()).map(Object::toString).contains(used);
    }

    @Test
    void an_emulator_endpoint_without_an_account_anywhere_fails_at_start_naming_the_setting() {
        assertThatThrownBy(() -> parse(Map.of("sas_token", "sv=1&sig=x", "endpoint", "http://127.0.0.1:10000",
                "container", "files")))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageContaining("AZURE_STORAGE_ENDPOINT").hasMessageContaining("/devstoreaccount1");
    }

    @Test
    void tiers_are_accepted_in_any_case_and_spelled_as_azure_does() {
        assertThat(parse(Map.of("account_name", "acc", "account_key", KEY, "container", "files", "tier", "ARCHIVE"))
                .tier()).contains("Archive");
    }

    @Test
    void the_key_never_shows_in_the_config_text() {
        AzureBlobStoreConfig c = parse(Map.of("account_name", "acc", "account_key", KEY, "container", "files"));
        assertThat(c.toString()).doesNotContain(KEY).contains("AZURE_ACCOUNT_KEY").contains("****");
        AzureBlobStoreConfig cs = parse(Map.of("connection_string",
                "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=" + KEY, "container", "files"));
        assertThat(cs.toString()).doesNotContain(KEY);
    }

    @Test
    void block_ids_have_one_length_and_differ_between_uploads() {
        byte[] a = new byte[12];
        byte[] b = new byte[12];
        b[0] = 1;
        assertThat(AzureWriter.blockId(a, 0)).hasSameSizeAs(AzureWriter.blockId(a, 49_999));
        assertThat(AzureWriter.blockId(a, 7)).isNotEqualTo(AzureWriter.blockId(b, 7));
    }

    @Test
    void list_cursors_wrap_continuation_tokens_and_refuse_anything_else() {
        String cursor = AzureBlobStore.encodeCursor("2!96!MDAwMDE0IWl0ZW0tMDAxMyEwMDAwMjgh");
        assertThat(AzureBlobStore.decodeCursor(cursor)).isEqualTo("2!96!MDAwMDE0IWl0ZW0tMDAxMyEwMDAwMjgh");
        assertThatThrownBy(() -> AzureBlobStore.decodeCursor("s3-cursor"))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void metadata_values_survive_the_header_encoding_and_stowage_entries_stay_apart() {
        Map<String, String> encoded = AzureMetadataCodec.encode(Map.of("note", "résumé ✓", "plain", "ok"), "a".repeat(64));
        assertThat(encoded.get("plain")).isEqualTo("ok");
        assertThat(encoded.get("note")).startsWith("=?UTF-8?B?");
        assertThat(AzureMetadataCodec.decode(encoded)).isEqualTo(Map.of("note", "résumé ✓", "plain", "ok"));
        assertThat(AzureMetadataCodec.sha256(encoded)).isEqualTo("a".repeat(64));
    }
}
