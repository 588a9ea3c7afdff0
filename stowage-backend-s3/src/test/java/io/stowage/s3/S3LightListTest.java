package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Where small puts go over the light client (plain HTTP, path style, checksums only where required), so do the
 * listing and the bucket check (decision 0104): a store that only checks, lists and puts builds no SDK client.
 * Against s3proxy: pages follow their continuation tokens to the end, keys with characters XML escapes or that are
 * not ASCII come back as they were written, with the size, ETag, time and storage class the SDK's listing gives,
 * common prefixes under a delimiter, and failures are typed as the SDK's are.
 */
@ExtendWith(S3ProxyServer.Extension.class)
class S3LightListTest {

    private final S3ProxyServer proxy;

    S3LightListTest(S3ProxyServer proxy) {
        this.proxy = proxy;
    }

    private static S3BlobStoreConfig config(Map<String, String> settings) {
        return S3BlobStoreConfig.from(new BackendConfig("light", "minio", settings, Path.of("target")));
    }

    /** A store on a bucket another store created first, so that creating it (the SDK's) is not in the count. */
    private S3BlobStore onMadeBucket(Map<String, String> settings) {
        try (S3BlobStore maker = new S3BlobStore(config(settings))) {
            maker.exists(BlobKey.of("made"));
        }
        return new S3BlobStore(config(settings));
    }

    private static void put(S3BlobStore store, String key, String content) {
        store.put(BlobKey.of(key), BlobContent.of(content.getBytes(StandardCharsets.UTF_8)), PutOptions.defaults());
    }

    private static List<String> walk(S3BlobStore store, ListRequest first) {
        List<String> keys = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            Page<BlobInfo> page = store.list(cursor.map(first::withCursor).orElse(first));
            page.items().forEach(i -> keys.add(i.key().value()));
            cursor = page.nextCursor();
            pages++;
            assertThat(pages).as("pages end").isLessThan(100);
        } while (cursor.isPresent());
        return keys;
    }

    @Test
    void pages_of_a_listing_follow_their_continuation_tokens_to_the_end_and_no_sdk_client_is_built() {
        Map<String, String> settings = proxy.settings();
        // Non-ASCII keys end pages too: s3proxy's continuation token is the last key of the page.
        String[] tails = {".txt", "-é.txt", "-😀 +%.bin", "-中.txt"};
        List<String> keys = IntStream.range(0, 23).mapToObj(i -> String.format("p/%03d%s", i, tails[i % tails.length]))
                .toList();
        try (S3BlobStore store = onMadeBucket(settings)) {
            for (String k : keys) {
                put(store, k, k);
            }
            put(store, "q/outside.txt", "not under the prefix");
            Page<BlobInfo> first = store.list(ListRequest.prefix("p/").withLimit(10));
            assertThat(first.items()).hasSize(10);
            assertThat(first.nextCursor()).isPresent();
            assertThat(walk(store, ListRequest.prefix("p/").withLimit(10))).containsExactlyElementsOf(keys);
            assertThat(walk(store, ListRequest.prefix("").withLimit(7))).hasSize(keys.size() + 1);
            assertThat(store.list(ListRequest.prefix("none/")).items()).isEmpty();
            assertThat(store.clients().anyBuilt()).as("the check, the puts and the listings went over the light client")
                    .isFalse();
        }
    }

    @Test
    void keys_with_characters_xml_escapes_or_not_ascii_list_as_they_were_written_and_as_the_sdk_lists_them() {
        Map<String, String> settings = proxy.settings();
        List<String> keys = List.of("x/a&b<c>d\"e'f.txt", "x/space and+plus%25 ünï €.txt", "x/日本語/ファイル.bin",
                "x/emoji 😀 ]]> <![CDATA[.txt", "x/~tilde*star(1)!=;,@$.bin", "x/&amp;&#38;&lt;.txt", "x/plus+only");
        try (S3BlobStore store = onMadeBucket(settings)) {
            for (String k : keys) {
                put(store, k, "content of " + k);
            }
            Page<BlobInfo> light = store.list(ListRequest.prefix("x/"));
            assertThat(light.items()).extracting(i -> i.key().value()).containsExactlyInAnyOrderElementsOf(keys);
            assertThat(store.clients().anyBuilt()).isFalse();
            List<S3Object> sdk = store.clients().once().listObjectsV2(r -> r.bucket(settings.get("bucket"))
                    .prefix("x/")).contents();
            assertThat(light.items()).hasSameSizeAs(sdk);
            for (int i = 0; i < sdk.size(); i++) {
                S3Object o = sdk.get(i);
                BlobInfo l = light.items().get(i);
                assertThat(l.key().value()).as("in the SDK's order").isEqualTo(o.key());
                assertThat(l.size()).isEqualTo(o.size()).isEqualTo(("content of " + o.key())
                        .getBytes(StandardCharsets.UTF_8).length);
                assertThat(l.etag()).contains(o.eTag());
                assertThat(l.modified()).isEqualTo(o.lastModified());
                assertThat(l.storageClass()).isEqualTo(Optional.ofNullable(o.storageClassAsString()));
            }
        }
    }

    @Test
    void a_delimiter_groups_keys_under_common_prefixes_decoded_as_written() {
        try (S3BlobStore store = onMadeBucket(proxy.settings())) {
            for (String k : List.of("d/dossier é/a.txt", "d/dossier é/b.txt", "d/a&b/c.txt", "d/top.txt")) {
                put(store, k, k);
            }
            Page<BlobInfo> page = store.list(ListRequest.folder("d/"));
            assertThat(page.items()).extracting(i -> i.key().value()).containsExactly("d/top.txt");
            assertThat(page.commonPrefixes()).containsExactlyInAnyOrder("d/dossier é/", "d/a&b/");
            assertThat(store.clients().anyBuilt()).isFalse();
        }
    }

    @Test
    void refused_credentials_a_missing_bucket_and_no_server_are_typed_as_the_sdks_are() throws Exception {
        Map<String, String> settings = proxy.settings();
        try (S3BlobStore maker = new S3BlobStore(config(settings))) {
            maker.exists(BlobKey.of("made"));
        }
        Map<String, String> wrong = new HashMap<>(settings);
        wrong.put("secret_key", "not-the-secret-0123456789");
        try (S3BlobStore store = new S3BlobStore(config(wrong))) {
            assertThat(catchThrowableOfType(StorageException.class, () -> store.list(ListRequest.prefix(""))).kind())
                    .isEqualTo(ErrorKind.PERMISSION_DENIED);
        }
        Map<String, String> missing = new HashMap<>(settings);
        missing.put("bucket", settings.get("bucket") + "-missing");
        missing.put("create_bucket", "false");
        try (S3BlobStore store = new S3BlobStore(config(missing))) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.list(ListRequest.prefix("")));
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e.getMessage()).contains("does not exist");
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> nobody = new HashMap<>(settings);
        nobody.put("endpoint", "http://127.0.0.1:" + closedPort);
        try (S3BlobStore store = new S3BlobStore(config(nobody))) {
            assertThat(catchThrowableOfType(StorageException.class, () -> store.list(ListRequest.prefix(""))).kind())
                    .isEqualTo(ErrorKind.UNAVAILABLE);
        }
        // A listing refused after the bucket check passed: the error document's code decides, as the SDK's does.
        try (S3BlobStore store = onMadeBucket(settings)) {
            store.list(ListRequest.prefix(""));
            try (S3SinglePut light = S3SinglePut.forConfig(config(wrong), List.of())) {
                software.amazon.awssdk.services.s3.model.S3Exception refused = catchThrowableOfType(
                        software.amazon.awssdk.services.s3.model.S3Exception.class, () -> light.list("", null, null, 10));
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(new S3Errors(config(wrong)).translate(refused, "list", null).kind())
                        .isEqualTo(ErrorKind.PERMISSION_DENIED);
            }
        }
    }
}
