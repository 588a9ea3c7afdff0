package io.stowage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.HealthReport;
import io.stowage.MetadataEditor;
import io.stowage.Presigner;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.Tiered;
import io.stowage.spi.io.Sha256;
import io.stowage.testkit.FaultProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the contract cannot say about Azure, against Azurite: tiers, SAS URLs, credentials, outages, size. */
@ExtendWith(AzuriteServer.Extension.class)
class AzureBlobStoreTest {

    private static final int MIB = 1024 * 1024;

    private final AzuriteServer server;

    AzureBlobStoreTest(AzuriteServer server) {
        this.server = server;
    }

    @Test
    void blobs_move_between_tiers_and_an_archived_blob_must_be_rehydrated_before_it_is_read() {
        try (BlobStore store = AzuriteServer.open("tiers", server.settings())) {
            BlobKey key = BlobKey.of("reports/2026.pdf");
            BlobInfo put = store.put(key, BlobContent.ofUtf8("quarterly"), PutOptions.builder().tier(Tier.WARM).build());
            assertThat(put.storageClass()).contains("Cool");
            assertThat(store.stat(key).storageClass()).contains("Cool");
            assertThat(store.stat(key).tier()).contains(Tier.WARM);
            Tiered tiered = store.feature(Tiered.class).orElseThrow();
            assertThat(tiered.storageClasses()).containsExactly("Hot", "Cool", "Cold", "Archive");
            assertThat(tiered.setTier(key, Tier.ARCHIVE).storageClass()).contains("Archive");
            assertThat(tiered.restoreStatus(key).state()).isEqualTo(Tiered.RestoreStatus.State.ARCHIVED);
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.get(key));
            assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
            assertThat(e.getMessage()).contains("Archive").contains("rehydrated").contains("'stowage restore'")
                    .contains("Tiered.restore");
            assertThatThrownBy(() -> tiered.setTier(key, Tier.HOT)).hasMessageContaining("Tiered.restore")
                    .hasMessageContaining("'stowage restore'");
            // Azurite rehydrates at once; the service takes hours (see AzureRecordedResponsesTest).
            tiered.restore(key, 1, Optional.of("High"));
            assertThat(tiered.restoreStatus(key).state()).isEqualTo(Tiered.RestoreStatus.State.NOT_ARCHIVED);
            try (BlobRead r = store.get(key)) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("quarterly");
            }
            assertThatThrownBy(() -> tiered.setStorageClass(key, "Glacier"))
                    .isInstanceOfSatisfying(StorageException.class,
                            se -> assertThat(se.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("Hot");
        }
    }

    @Test
    void the_configured_tier_goes_on_every_new_blob() {
        Map<String, String> s = server.settings();
        s.put("tier", "cool");
        try (BlobStore store = AzuriteServer.open("cool", s)) {
            store.put(BlobKey.of("small"), BlobContent.ofUtf8("s"));
            store.put(BlobKey.of("staged"), BlobContent.ofUnknownLength(new java.io.ByteArrayInputStream(new byte[9 * MIB])));
            assertThat(store.stat(BlobKey.of("small")).storageClass()).contains("Cool");
            assertThat(store.stat(BlobKey.of("staged")).storageClass()).contains("Cool");
        }
    }

    @Test
    void sas_urls_work_with_a_plain_http_client_and_forged_ones_are_refused() throws Exception {
        try (BlobStore store = AzuriteServer.open("sas", server.settings())) {
            Presigner presigner = store.feature(Presigner.class).orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            Presigner.PresignedRequest put = presigner.presignPut(BlobKey.of("shared/upload.txt"), Duration.ofMinutes(5),
                    new Presigner.PutConstraints(Optional.of("text/plain"), Optional.empty()));
            HttpRequest.Builder req = HttpRequest.newBuilder(put.url()).PUT(HttpRequest.BodyPublishers.ofString("via SAS"));
            put.headers().forEach(req::header);
            assertThat(http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);
            assertThat(store.stat(BlobKey.of("shared/upload.txt")).contentType()).isEqualTo("text/plain");

            Presigner.PresignedRequest get = presigner.presignGet(BlobKey.of("shared/upload.txt"), null,
                    Presigner.GetOverrides.none());
            assertThat(get.expiresAt()).isBetween(java.time.Instant.now().plus(Duration.ofMinutes(59)),
                    java.time.Instant.now().plus(Duration.ofMinutes(61)));
            HttpResponse<String> got = http.send(HttpRequest.newBuilder(get.url()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("via SAS");

            String forged = get.url().toString().replaceAll("sig=[^&]+", "sig=AAAA" + "A".repeat(40) + "%3D");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(forged)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(403);
            assertThatThrownBy(() -> presigner.presignGet(BlobKey.of("x"), Duration.ofDays(8), Presigner.GetOverrides.none()))
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }

    @Test
    void a_sas_url_grants_only_its_key_and_method_and_sets_the_asked_response_headers() throws Exception {
        try (BlobStore store = AzuriteServer.open("sas-scope", server.settings())) {
            store.put(BlobKey.of("report.pdf"), BlobContent.ofUtf8("%PDF"), PutOptions.builder()
                    .contentType("application/octet-stream").build());
            store.put(BlobKey.of("other.pdf"), BlobContent.ofUtf8("other"));
            Presigner presigner = store.feature(Presigner.class).orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            Presigner.PresignedRequest get = presigner.presignGet(BlobKey.of("report.pdf"), Duration.ofMinutes(5),
                    new Presigner.GetOverrides(Optional.of("application/pdf"),
                            Optional.of("attachment; filename=\"q3.pdf\"")));
            HttpResponse<String> got = http.send(HttpRequest.newBuilder(get.url()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.headers().firstValue("Content-Type")).contains("application/pdf");
            assertThat(got.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"q3.pdf\"");

            URI otherKey = URI.create(get.url().toString().replace("/report.pdf?", "/other.pdf?"));
            assertThat(http.send(HttpRequest.newBuilder(otherKey).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).as("a URL for one blob opens no other").isEqualTo(403);
            HttpRequest.Builder write = HttpRequest.newBuilder(get.url()).PUT(HttpRequest.BodyPublishers.ofString("x"))
                    .header("x-ms-blob-type", "BlockBlob");
            assertThat(http.send(write.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as("a read URL cannot write").isEqualTo(403);
            try (BlobRead r = store.get(BlobKey.of("report.pdf"))) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("%PDF");
            }
        }
    }

    @Test
    void an_expired_sas_url_is_refused() throws Exception {
        try (BlobStore store = AzuriteServer.open("expired", server.settings())) {
            store.put(BlobKey.of("brief.txt"), BlobContent.ofUtf8("soon gone"));
            Presigner.PresignedRequest get = store.feature(Presigner.class).orElseThrow()
                    .presignGet(BlobKey.of("brief.txt"), Duration.ofSeconds(1), Presigner.GetOverrides.none());
            io.stowage.testkit.Await.until(Duration.ofSeconds(10), "the SAS to expire",
                    () -> java.time.Instant.now().isAfter(get.expiresAt().plusSeconds(1)));
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(get.url()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void metadata_and_content_type_change_without_rewriting_the_content() throws IOException {
        try (BlobStore store = AzuriteServer.open("meta", server.settings())) {
            BlobKey key = BlobKey.of("docs/readme.md");
            BlobInfo put = store.put(key, BlobContent.ofUtf8("# Hello"), PutOptions.builder().contentType("text/plain")
                    .metadata(Map.of("owner", "ada")).build());
            MetadataEditor editor = store.feature(MetadataEditor.class).orElseThrow();
            BlobInfo edited = editor.setMetadata(key, Map.of("owner", "grace", "note", "résumé ✓"));
            assertThat(edited.metadata()).isEqualTo(Map.of("owner", "grace", "note", "résumé ✓"));
            assertThat(edited.sha256()).isEqualTo(put.sha256());
            BlobInfo typed = editor.setContentType(key, "text/markdown; charset=utf-8");
            assertThat(typed.contentType()).isEqualTo("text/markdown; charset=utf-8");
            assertThat(typed.metadata()).containsEntry("owner", "grace");
            try (BlobRead r = store.get(key)) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("# Hello");
            }
        }
    }

    @Test
    void a_wrong_account_key_fails_with_one_line_naming_the_setting_and_not_echoing_the_key() {
        Map<String, String> s = server.settings();
        String wrong = "d3Jvbmcta2V5LXRoYXQtbXVzdC1uZXZlci1hcHBlYXItaW4tYS1tZXNzYWdl";
        s.put("account_key", wrong);
        try (BlobStore store = AzuriteServer.open("wrong", s)) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("any")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("AZURE_ACCOUNT_KEY").doesNotContain(wrong);
            assertThat(e.getMessage().lines()).hasSize(1);
            assertThat(store.health().healthy()).isFalse();
            assertThat(store.health().detail()).doesNotContain(wrong);
        }
    }

    @Test
    void a_connection_string_and_a_sas_token_work_as_credentials() throws IOException {
        Map<String, String> byString = new HashMap<>(Map.of("connection_string", server.connectionString(),
                "container", server.settings().get("container")));
        try (BlobStore store = AzuriteServer.open("by-string", byString)) {
            store.put(BlobKey.of("a.txt"), BlobContent.ofUtf8("by connection string"));
            assertThat(store.capabilities().presign()).isTrue();
        }
        BlobContainerClient admin = new BlobServiceClientBuilder().connectionString(server.connectionString())
                .buildClient().getBlobContainerClient(byString.get("container"));
        String sas = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racwdl")));
        Map<String, String> bySas = new HashMap<>(Map.of("sas_token", "?" + sas, "endpoint", server.blobEndpoint(),
                "container", byString.get("container"), "create_container", "false"));
        try (BlobStore store = AzuriteServer.open("by-sas", bySas)) {
            try (BlobRead r = store.get(BlobKey.of("a.txt"))) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("by connection string");
            }
            store.put(BlobKey.of("b.txt"), BlobContent.ofUtf8("by SAS"));
            assertThat(store.copy(BlobKey.of("b.txt"), BlobKey.of("c.txt")).size()).isEqualTo(6);
            assertThat(store.capabilities().presign()).as("a SAS token cannot sign others").isFalse();
            assertThat(store.feature(Presigner.class)).isEmpty();
        }
    }

    @Test
    void a_container_sas_token_works_with_the_default_settings() throws IOException {
        String container = server.settings().get("container");
        BlobContainerClient admin = new BlobServiceClientBuilder().connectionString(server.connectionString())
                .buildClient().getBlobContainerClient(container);
        admin.create();
        String sas = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racwdl")));
        Map<String, String> bySas = new HashMap<>(Map.of("sas_token", sas, "endpoint", server.blobEndpoint(),
                "container", container));
        try (BlobStore store = AzuriteServer.open("container-sas", bySas)) {
            store.put(BlobKey.of("a.txt"), BlobContent.ofUtf8("by a container SAS"));
            try (BlobRead r = store.get(BlobKey.of("a.txt"))) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("by a container SAS");
            }
            assertThat(store.health().healthy()).as(store.health().detail()).isTrue();
        }
    }

    @Test
    void a_connection_string_with_a_sas_instead_of_a_key_reads_writes_and_copies() throws IOException {
        String container = server.settings().get("container");
        BlobContainerClient admin = new BlobServiceClientBuilder().connectionString(server.connectionString())
                .buildClient().getBlobContainerClient(container);
        admin.create();
        String sas = admin.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racwdl")));
        Map<String, String> s = Map.of("connection_string", "BlobEndpoint=" + server.blobEndpoint()
                + ";SharedAccessSignature=" + sas, "container", container);
        try (BlobStore store = AzuriteServer.open("string-sas", s)) {
            store.put(BlobKey.of("a.txt"), BlobContent.ofUtf8("by a SAS connection string"));
            assertThat(store.copy(BlobKey.of("a.txt"), BlobKey.of("b.txt")).size()).isEqualTo(26);
            try (BlobRead r = store.get(BlobKey.of("b.txt"))) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("by a SAS connection string");
            }
            assertThat(store.feature(Presigner.class)).as("a SAS cannot sign others").isEmpty();
        }
    }

    @Test
    void azurite_reached_by_its_address_alone_works_as_with_the_account_in_the_path() throws IOException {
        Map<String, String> s = server.settings();
        s.put("endpoint", "http://127.0.0.1:" + server.port());
        try (BlobStore store = AzuriteServer.open("no-account-path", s)) {
            store.put(BlobKey.of("a.txt"), BlobContent.ofUtf8("found the account"));
            try (BlobRead r = store.get(BlobKey.of("a.txt"))) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("found the account");
            }
        }
    }

    @Test
    void a_missing_container_is_created_unless_create_container_is_false() {
        Map<String, String> s = server.settings();
        s.put("create_container", "false");
        try (BlobStore store = AzuriteServer.open("no-create", s)) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("x")));
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
            assertThat(e.getMessage()).contains("create_container");
        }
        s.remove("create_container");
        try (BlobStore store = AzuriteServer.open("create", s)) {
            assertThat(store.exists(BlobKey.of("x"))).isFalse();
            HealthReport h = store.health();
            assertThat(h.healthy()).isTrue();
            assertThat(h.latency()).isPositive();
            assertThat(h.detail()).contains(s.get("container"));
        }
    }

    @Test
    void a_300_mib_unknown_length_upload_round_trips_in_a_96_mib_heap() throws Exception {
        String container = server.settings().get("container");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                LargeUploadChild.class.getName(), server.blobEndpoint(), container, "300")
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = child.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        String[] last = out.strip().lines().reduce((a, b) -> b).orElseThrow().split(" ");
        assertThat(last[0]).isEqualTo(String.valueOf(300L * MIB));
        assertThat(last[1]).isEqualTo(last[0]);
        assertThat(last[2]).as("the digest the put reported is that of what was read back").isEqualTo(last[3]);
    }

    @Test
    void a_server_stopped_mid_upload_fails_the_put_with_a_typed_error_and_commits_nothing() throws Exception {
        AzuriteServer own = AzuriteServer.start();
        try {
            Map<String, String> s = own.settings();
            s.put("block_size", "1MiB");
            s.put("connect_timeout", "1s");
            s.put("request_timeout", "5s");
            s.put("max_attempts", "1");
            try (BlobStore store = AzuriteServer.open("dying", s)) {
                store.put(BlobKey.of("before.txt"), BlobContent.ofUtf8("the container exists"));
                AtomicLong delivered = new AtomicLong();
                InputStream dying = new InputStream() {
                    @Override
                    public int read() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (delivered.get() == 3L * MIB) {
                            try {
                                own.stop(); // the emulator goes away in the middle of the upload
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                        }
                        if (delivered.get() >= 20L * MIB) {
                            return -1;
                        }
                        int n = (int) Math.min(len, MIB - delivered.get() % MIB);
                        java.util.Arrays.fill(b, off, off + n, (byte) 'z');
                        delivered.addAndGet(n);
                        return n;
                    }
                };
                BlobKey key = BlobKey.of("dies/mid-upload.bin");
                StorageException e = catchThrowableOfType(StorageException.class,
                        () -> store.put(key, BlobContent.ofUnknownLength(dying)));
                assertThat(e.kind()).isIn(ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT);
                assertThat(e.getMessage()).contains(own.blobEndpoint());
                assertThat(delivered.get()).as("the upload stopped early").isLessThan(20L * MIB);
                own.restart();
                assertThat(store.health().healthy()).isTrue();
                assertThat(store.exists(key)).isFalse();
            }
        } finally {
            own.close();
        }
    }

    @Test
    void an_endpoint_nobody_answers_on_fails_fast_with_unavailable_naming_it() throws IOException {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> s = server.settings();
        s.put("endpoint", "http://127.0.0.1:" + closed + "/" + AzuriteServer.ACCOUNT);
        s.put("connect_timeout", "1s");
        s.put("max_attempts", "1");
        try (BlobStore store = AzuriteServer.open("nobody", s)) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k")));
            assertThat(e.kind()).isIn(ErrorKind.UNAVAILABLE, ErrorKind.TIMEOUT);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("127.0.0.1:" + closed).doesNotContain(AzuriteServer.KEY);
            assertThat(store.health().healthy()).isFalse();
        }
    }

    @Test
    void a_server_that_accepts_but_never_answers_fails_with_a_retryable_timeout_naming_the_endpoint() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Map<String, String> s = server.settings();
            s.put("endpoint", "http://127.0.0.1:" + silent.getLocalPort() + "/" + AzuriteServer.ACCOUNT);
            s.put("request_timeout", "1s");
            s.put("max_attempts", "1");
            try (BlobStore store = AzuriteServer.open("silent", s)) {
                StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k")));
                assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("127.0.0.1:" + silent.getLocalPort()).doesNotContain(AzuriteServer.KEY);
                assertThat(store.health().healthy()).isFalse();
            } finally {
                silent.close();
                acceptor.join();
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void a_read_begun_before_its_blob_is_replaced_returns_one_version_whole_never_a_mix() throws IOException {
        Map<String, String> s = server.settings();
        try (BlobStore store = AzuriteServer.open("replaced", s)) {
            BlobKey key = BlobKey.of("moving.bin");
            byte[] first = new byte[9 * MIB];
            java.util.Arrays.fill(first, (byte) 1);
            store.put(key, BlobContent.of(first));
            byte[] read;
            try (BlobRead r = store.get(key)) {
                InputStream in = r.stream();
                byte[] head = in.readNBytes(1024);
                store.put(key, BlobContent.of(new byte[9 * MIB]));
                byte[] rest;
                try {
                    rest = in.readAllBytes();
                } catch (IOException e) {
                    // A service may also refuse the rest: then the read fails, typed, and mixes nothing.
                    assertThat(e.getCause()).isInstanceOfSatisfying(StorageException.class,
                            se -> assertThat(se.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
                    rest = null;
                }
                read = rest == null ? null : concat(head, rest);
            }
            if (read != null) {
                assertThat(Sha256.of(read)).as("the version the read began with, whole").isEqualTo(Sha256.of(first));
            }
            assertThat(Sha256.of(store.get(key).readAllBytes())).isEqualTo(Sha256.of(new byte[9 * MIB]));
        }
    }

    @Test
    void a_read_whose_connection_breaks_mid_body_resumes_where_it_stopped_and_returns_every_byte() throws Exception {
        byte[] content = new byte[48 * MIB];
        new java.util.Random(7).nextBytes(content);
        try (FaultProxy proxy = FaultProxy.to(server.port());
                BlobStore direct = AzuriteServer.open("direct", server.settings())) {
            direct.put(KEY_48, BlobContent.of(content));
            try (BlobStore viaProxy = throughProxy(proxy, direct); BlobRead r = viaProxy.get(KEY_48)) {
                InputStream in = r.stream();
                byte[] head = in.readNBytes(MIB);
                long passed = cut(proxy);
                assertThat(passed).as("the cut falls inside the body").isLessThan(content.length);
                byte[] rest = in.readAllBytes();
                assertThat(Sha256.of(concat(head, rest))).isEqualTo(Sha256.of(content));
                assertThat(proxy.connections()).as("the rest came by a second request").isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void a_blob_replaced_before_a_broken_read_resumes_fails_the_read_typed_instead_of_mixing_versions() throws Exception {
        byte[] content = new byte[48 * MIB];
        java.util.Arrays.fill(content, (byte) 3);
        try (FaultProxy proxy = FaultProxy.to(server.port());
                BlobStore direct = AzuriteServer.open("direct", server.settings())) {
            direct.put(KEY_48, BlobContent.of(content));
            try (BlobStore viaProxy = throughProxy(proxy, direct); BlobRead r = viaProxy.get(KEY_48)) {
                InputStream in = r.stream();
                in.readNBytes(MIB);
                direct.put(KEY_48, BlobContent.of(new byte[48 * MIB]));
                assertThat(cut(proxy)).as("the cut falls inside the body").isLessThan(content.length);
                IOException e = catchThrowableOfType(IOException.class, in::readAllBytes);
                assertThat(e.getCause()).isInstanceOfSatisfying(StorageException.class,
                        se -> assertThat(se.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
            }
        }
    }

    @Test
    void a_small_read_whose_connection_breaks_while_it_is_gathered_resumes_and_returns_every_byte() throws Exception {
        byte[] content = new byte[3 * MIB];
        new java.util.Random(11).nextBytes(content);
        BlobKey key = BlobKey.of("cut/3-mib.bin");
        // 1 MiB/s: the 3 MiB body (gathered whole before get returns) takes about 3 s, and the cut falls
        // while it is being gathered, not before or after.
        try (FaultProxy proxy = FaultProxy.to(server.port());
                BlobStore direct = AzuriteServer.open("direct", server.settings())) {
            direct.put(key, BlobContent.of(content));
            proxy.throttle(MIB);
            try (BlobStore viaProxy = throughProxy(proxy, direct)) {
                long[] passedAtCut = {-1};
                Thread cutter = Thread.ofVirtual().start(() -> {
                    io.stowage.testkit.Await.until(Duration.ofSeconds(30), "a MiB of the body passed", () -> proxy.downstreamBytes() > MIB);
                    passedAtCut[0] = cut(proxy);
                });
                byte[] read;
                try (BlobRead r = viaProxy.get(key)) {
                    read = r.stream().readAllBytes();
                }
                cutter.join();
                assertThat(passedAtCut[0]).as("the cut falls inside the body").isBetween((long) MIB, (long) content.length);
                assertThat(Sha256.of(read)).isEqualTo(Sha256.of(content));
                assertThat(proxy.connections()).as("the rest came by a second request").isGreaterThanOrEqualTo(2);
            }
        }
    }

    private static final BlobKey KEY_48 = BlobKey.of("cut/48-mib.bin");

    /** A store on the container of {@code direct}, reaching Azurite through {@code proxy}. */
    private BlobStore throughProxy(FaultProxy proxy, BlobStore direct) {
        BlobStore bare = direct;
        while (bare instanceof io.stowage.ForwardingBlobStore f) {
            bare = f.delegate();
        }
        Map<String, String> s = server.settings();
        s.put("container", ((AzureBlobStore) bare).config().container());
        s.put("endpoint", proxy.endpoint() + "/" + AzuriteServer.ACCOUNT);
        return AzuriteServer.open("through-proxy", s);
    }

    /** Breaks every connection through {@code proxy}; returns the bytes that had come from Azurite until then. */
    private static long cut(FaultProxy proxy) {
        long passed = proxy.downstreamBytes();
        proxy.resetConnections();
        return passed;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
