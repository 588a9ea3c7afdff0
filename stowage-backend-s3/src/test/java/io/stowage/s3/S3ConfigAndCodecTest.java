package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings, defaults per type, the provider registry and the metadata encoding; no server needed. */
class S3ConfigAndCodecTest {

    private static S3BlobStoreConfig parse(String type, Map<String, String> settings) {
        return S3BlobStoreConfig.from(new BackendConfig(type, type, settings, Path.of("target")));
    }

    private static Map<String, String> minimal(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("bucket", "files", "endpoint", "http://127.0.0.1:9000"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void every_s3_type_and_alias_is_registered() {
        BlobStoreProviders providers = BlobStoreProviders.load();
        assertThat(providers.types()).contains("aws_s3", "s3", "minio", "s3_compatible");
        assertThat(providers.require("s3").type()).isEqualTo("aws_s3");
        assertThat(providers.require("minio").settingNames()).contains("endpoint", "bucket", "part_size", "checksum_mode");
    }

    @Test
    void minio_and_s3_compatible_default_to_path_style_us_east_1_and_checksums_only_when_required() {
        for (String type : new String[] {"minio", "s3_compatible"}) {
            S3BlobStoreConfig c = parse(type, minimal());
            assertThat(c.pathStyle()).isTrue();
            assertThat(c.region()).isEqualTo("us-east-1");
            assertThat(c.checksumsWhenRequired()).isTrue();
            assertThat(c.createBucket()).isTrue();
            assertThat(c.connectTimeout()).isLessThan(Duration.ofSeconds(30));
        }
        assertThat(parse("minio", minimal()).conditionalPut()).isTrue();
        assertThat(parse("s3_compatible", minimal()).conditionalPut()).as("unknown servers may ignore If-None-Match")
                .isFalse();
        assertThat(parse("s3_compatible", minimal("conditional_put", "true")).conditionalPut()).isTrue();
    }

    @Test
    void aws_defaults_to_virtual_hosts_and_full_checksums_and_needs_no_endpoint() {
        S3BlobStoreConfig c = parse("aws_s3", Map.of("bucket", "files", "region", "eu-west-1"));
        assertThat(c.pathStyle()).isFalse();
        assertThat(c.checksumsWhenRequired()).isFalse();
        assertThat(c.endpoint()).isEmpty();
        assertThat(c.accessKey()).as("default credential chain").isEmpty();
        assertThat(parse("s3", Map.of("bucket", "files")).type()).isEqualTo("aws_s3");
    }

    @Test
    void settings_are_parsed_with_units() {
        S3BlobStoreConfig c = parse("minio", minimal("part_size", "16MiB", "upload_concurrency", "8",
                "connect_timeout", "500ms", "request_timeout", "2m", "use_ssl", "false", "endpoint", "minio:9000",
                "storage_class", "standard_ia", "sse", "aws:kms", "sse_kms_key_id", "k-1", "addressing_style", "virtual",
                "checksum_mode", "when_supported"));
        assertThat(c.partSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.uploadConcurrency()).isEqualTo(8);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.endpoint().orElseThrow().toString()).isEqualTo("http://minio:9000");
        assertThat(c.storageClass()).contains("STANDARD_IA");
        assertThat(c.sse()).contains("aws:kms");
        assertThat(c.sseKmsKeyId()).contains("k-1");
        assertThat(c.pathStyle()).isFalse();
        assertThat(c.checksumsWhenRequired()).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "part_size, 1MiB", "part_size, 6GiB", "upload_concurrency, 0", "addressing_style, sideways",
            "checksum_mode, always", "storage_class, COLDEST", "sse, rot13", "bucket, Not_A_Bucket",
            "endpoint, ftp://host", "use_ssl, maybe", "connect_timeout, soon", "max_attempts, 0"})
    void a_bad_setting_fails_with_config_naming_it(String key, String value) {
        StorageException e = catchThrowableOfType(StorageException.class, () -> parse("minio", minimal(key, value)));
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage()).contains(key.equals("endpoint") ? "endpoint" : key);
    }

    @Test
    void minio_needs_an_endpoint_and_keys_come_in_pairs() {
        Map<String, String> noEndpoint = new HashMap<>(minimal());
        noEndpoint.remove("endpoint");
        assertThat(catchThrowableOfType(StorageException.class, () -> parse("minio", noEndpoint)).getMessage())
                .contains("endpoint");
        assertThat(catchThrowableOfType(StorageException.class, () -> parse("minio", minimal("access_key", "a")))
                .getMessage()).contains("secret_key");
    }

    @Test
    void the_secret_never_shows_in_the_config_text() {
        S3BlobStoreConfig c = parse("minio", minimal("access_key", "AKIAEXAMPLE", "secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY"));
        assertThat(c.toString()).contains("AKIAEXAMPLE", "****").doesNotContain("wJalrXUtnFEMI");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", " leading", "trailing ", "  both  ", "Ünïcödé", "日本語", "emoji 😀",
            "=?UTF-8?B?bm90IGVuY29kZWQ=?=", "=?looks odd", "tab\tinside", "a  b"})
    void metadata_values_survive_the_header_encoding_exactly(String value) {
        String encoded = S3MetadataCodec.encodeValue(value);
        for (char ch : encoded.toCharArray()) {
            assertThat(ch).isBetween(' ', '~');
        }
        assertThat(encoded).doesNotStartWith(" ").doesNotEndWith(" ");
        assertThat(S3MetadataCodec.decodeValue(encoded)).isEqualTo(value);
    }

    @Test
    void stowage_entries_are_kept_apart_from_the_callers_metadata() {
        String sha = "a".repeat(64);
        Map<String, String> s3 = S3MetadataCodec.encode(Map.of("owner", "ann"), sha, "text/html; charset=utf-8");
        assertThat(s3).containsEntry("stowage-sha256", sha).containsKey("stowage-content-type");
        assertThat(S3MetadataCodec.decode(s3)).isEqualTo(Map.of("owner", "ann"));
        assertThat(S3MetadataCodec.sha256(s3)).isEqualTo(sha);
        assertThat(S3MetadataCodec.contentType("text/html;charset=utf-8", s3)).isEqualTo("text/html; charset=utf-8");
        assertThat(S3MetadataCodec.contentType("image/png", s3)).as("changed by another tool: the header wins")
                .isEqualTo("image/png");
    }

    @Test
    void list_cursors_wrap_continuation_tokens_and_refuse_anything_else() {
        String token = "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=";
        assertThat(S3BlobStore.decodeCursor(S3BlobStore.encodeCursor(token))).isEqualTo(token);
        for (String bad : new String[] {"", "s3.", "not a cursor!%*", token}) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> S3BlobStore.decodeCursor(bad));
            assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
    }

    @Test
    void content_range_headers_are_parsed() {
        var r = S3BlobStore.parseContentRange("bytes 10-19/100");
        assertThat(r.first()).isEqualTo(10);
        assertThat(r.last()).isEqualTo(19);
        assertThat(r.total()).isEqualTo(100);
        assertThat(S3BlobStore.parseContentRange(null)).isNull();
        assertThat(S3BlobStore.parseContentRange("bytes */100")).isNull();
    }
}
