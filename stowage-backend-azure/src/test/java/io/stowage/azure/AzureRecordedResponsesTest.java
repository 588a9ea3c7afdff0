package io.stowage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.HttpRequest;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.Tiered;
import io.stowage.spi.BackendConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What Azurite cannot show, with recorded service responses fed to the real SDK pipeline: a
 * rehydration under way, refused credentials, throttling, server errors. The names say these check
 * the requests Stowage sends and how it reads Azure's answers, not Azure itself.
 */
class AzureRecordedResponsesTest {

    private static final String KEY = "cmVjb3JkZWQta2V5LXRoYXQtbXVzdC1uZXZlci1zaG93LXVw";
    private static final Map<String, String> ARCHIVED = Map.of("Content-Length", "10", "Content-Type", "text/plain",
            "ETag", "\"0x8D\"", "Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT", "x-ms-blob-type", "BlockBlob",
            "x-ms-access-tier", "Archive");

    private static AzureBlobStore store(RecordedHttpClient http) {
        Map<String, String> s = new HashMap<>();
        s.put("account_name", "recorded");
        s.put("account_key", KEY);
        s.put("endpoint", "http://127.0.0.1:9/recorded");
        s.put("container", "files");
        s.put("max_attempts", "1");
        return new AzureBlobStore(AzureBlobStoreConfig.from(new BackendConfig("azure", "azure_blob", s, Path.of("target"))),
                http);
    }

    private static boolean isTierChange(HttpRequest r) {
        return r.getHttpMethod().name().equals("PUT") && String.valueOf(r.getUrl().getQuery()).contains("comp=tier");
    }

    @Test
    void a_rehydration_under_way_reads_as_in_progress_checked_on_a_recorded_response() {
        Map<String, String> pending = new HashMap<>(ARCHIVED);
        pending.put("x-ms-archive-status", "rehydrate-pending-to-hot");
        RecordedHttpClient http = new RecordedHttpClient(RecordedHttpClient.withContainer(
                r -> r.getHttpMethod().name().equals("HEAD") ? RecordedHttpClient.Answer.of(200, pending)
                        : RecordedHttpClient.Answer.error(409, "BlobBeingRehydrated")));
        try (AzureBlobStore store = store(http)) {
            Tiered tiered = store.feature(Tiered.class).orElseThrow();
            assertThat(tiered.restoreStatus(BlobKey.of("old/report.pdf")).state())
                    .isEqualTo(Tiered.RestoreStatus.State.IN_PROGRESS);
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> store.get(BlobKey.of("old/report.pdf")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
            assertThat(e.getMessage()).contains("rehydrat");
        }
        assertThat(http.requests).anyMatch(r -> r.getHttpMethod().name().equals("HEAD")
                && r.getUrl().toString().contains("/files/old") && r.getUrl().toString().contains("report.pdf"));
    }

    @Test
    void restoring_an_archived_blob_sends_set_tier_hot_with_the_priority_checked_on_the_request() {
        AtomicInteger heads = new AtomicInteger();
        Map<String, String> pending = new HashMap<>(ARCHIVED);
        pending.put("x-ms-archive-status", "rehydrate-pending-to-hot");
        RecordedHttpClient http = new RecordedHttpClient(RecordedHttpClient.withContainer(r -> {
            if (isTierChange(r)) {
                return RecordedHttpClient.Answer.of(202, Map.of());
            }
            return RecordedHttpClient.Answer.of(200, heads.getAndIncrement() == 0 ? ARCHIVED : pending);
        }));
        try (AzureBlobStore store = store(http)) {
            Tiered tiered = store.feature(Tiered.class).orElseThrow();
            Tiered.RestoreStatus status = tiered.restore(BlobKey.of("old/report.pdf"), 3, Optional.of("High"));
            assertThat(status.state()).isEqualTo(Tiered.RestoreStatus.State.IN_PROGRESS);
        }
        HttpRequest tier = http.requests.stream().filter(AzureRecordedResponsesTest::isTierChange).findFirst().orElseThrow();
        assertThat(tier.getHeaders().getValue("x-ms-access-tier")).isEqualTo("Hot");
        assertThat(tier.getHeaders().getValue("x-ms-rehydrate-priority")).isEqualTo("High");
    }

    @Test
    void a_blob_not_archived_needs_no_restore_and_none_is_sent() {
        Map<String, String> hot = new HashMap<>(ARCHIVED);
        hot.put("x-ms-access-tier", "Hot");
        RecordedHttpClient http = new RecordedHttpClient(RecordedHttpClient.withContainer(
                r -> RecordedHttpClient.Answer.of(200, hot)));
        try (AzureBlobStore store = store(http)) {
            assertThat(store.feature(Tiered.class).orElseThrow().restore(BlobKey.of("a"), 1, Optional.empty()).state())
                    .isEqualTo(Tiered.RestoreStatus.State.NOT_ARCHIVED);
        }
        assertThat(http.requests).noneMatch(AzureRecordedResponsesTest::isTierChange);
    }

    @ParameterizedTest(name = "{0} {1} on stat reads as {2}")
    @CsvSource({
        "404, BlobNotFound, NOT_FOUND, false",
        "403, AuthenticationFailed, PERMISSION_DENIED, false",
        "412, ConditionNotMet, PRECONDITION_FAILED, false",
        "503, ServerBusy, RATE_LIMITED, true",
        "500, InternalError, UNAVAILABLE, true",
        "429, TooManyRequests, RATE_LIMITED, true",
        "409, ContainerBeingDeleted, UNAVAILABLE, true",
        "400, '', INVALID_ARGUMENT, false"})
    void recorded_service_errors_translate_to_kinds(int status, String code, ErrorKind kind, boolean retryable) {
        Function<HttpRequest, RecordedHttpClient.Answer> answer = r -> new RecordedHttpClient.Answer(status,
                Map.of("x-ms-error-code", code), "");
        try (AzureBlobStore store = store(new RecordedHttpClient(RecordedHttpClient.withContainer(answer)))) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k")));
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.retryable()).isEqualTo(retryable);
            assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain("()");
            if (code.isEmpty()) {
                assertThat(e.getMessage()).as("an answer without a code is named by its status").contains("HTTP " + status);
            }
        }
    }

    @Test
    void a_container_gone_since_the_store_opened_is_created_again_by_the_next_call_checked_on_recorded_answers() {
        // Azure refuses a container's name while it is being deleted; the SDK takes that 409 for "exists".
        AtomicInteger creations = new AtomicInteger();
        Map<String, String> hot = new HashMap<>(ARCHIVED);
        hot.put("x-ms-access-tier", "Hot");
        RecordedHttpClient http = new RecordedHttpClient(r -> {
            if (r.getHttpMethod().name().equals("PUT") && String.valueOf(r.getUrl().getQuery()).contains("restype=container")) {
                return creations.incrementAndGet() == 1 ? RecordedHttpClient.Answer.error(409, "ContainerBeingDeleted")
                        : RecordedHttpClient.Answer.of(201, Map.of("ETag", "\"0x1\"",
                                "Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT"));
            }
            return creations.get() < 2 ? RecordedHttpClient.Answer.error(404, "ContainerNotFound")
                    : RecordedHttpClient.Answer.of(200, hot);
        });
        try (AzureBlobStore store = store(http)) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k")));
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(e.getMessage()).contains("container 'files'");
            assertThat(store.stat(BlobKey.of("k")).size()).isEqualTo(10);
        }
        assertThat(creations.get()).isEqualTo(2);
    }

    @Test
    void refused_credentials_name_the_setting_to_check_and_mask_the_key() {
        Function<HttpRequest, RecordedHttpClient.Answer> answer = r -> RecordedHttpClient.Answer.error(403,
                "AuthenticationFailed");
        try (AzureBlobStore store = store(new RecordedHttpClient(answer))) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("AZURE_ACCOUNT_KEY").contains("account_name 'recorded'")
                    .doesNotContain(KEY).contains("****");
            assertThat(e.getMessage().lines()).hasSize(1);
        }
    }

    /** A container-scoped SAS as Azure answers it: blobs yes, container creation and properties no. */
    private static RecordedHttpClient.Answer containerSasAnswer(HttpRequest r) {
        String query = String.valueOf(r.getUrl().getQuery());
        if (query.contains("comp=list")) {
            return RecordedHttpClient.Answer.ofBody(200, Map.of("Content-Type", "application/xml"),
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"http://127.0.0.1:9/"
                            + "recorded\" ContainerName=\"files\"><MaxResults>1</MaxResults><Blobs /><NextMarker />"
                            + "</EnumerationResults>");
        }
        if (query.contains("restype=container")) {
            return RecordedHttpClient.Answer.error(403, "AuthorizationPermissionMismatch");
        }
        Map<String, String> hot = new HashMap<>(ARCHIVED);
        hot.put("x-ms-access-tier", "Hot");
        return RecordedHttpClient.Answer.of(200, hot);
    }

    @Test
    void a_sas_token_that_may_not_create_or_read_the_container_still_reaches_its_blobs_checked_on_recorded_answers() {
        Map<String, String> s = new HashMap<>();
        s.put("sas_token", "sv=2025-11-05&sr=c&sp=racwdl&sig=cmVjb3JkZWQ%3D");
        s.put("endpoint", "http://127.0.0.1:9/recorded");
        s.put("container", "files");
        s.put("max_attempts", "1");
        RecordedHttpClient http = new RecordedHttpClient(AzureRecordedResponsesTest::containerSasAnswer);
        try (AzureBlobStore store = new AzureBlobStore(AzureBlobStoreConfig.from(new BackendConfig("azure", "azure_blob",
                s, Path.of("target"))), http)) {
            assertThat(store.stat(BlobKey.of("old/report.pdf")).size()).isEqualTo(10);
            var health = store.health();
            assertThat(health.healthy()).as(health.detail()).isTrue();
            assertThat(health.detail()).contains("listing");
        }
        assertThat(http.requests).anyMatch(r -> r.getHttpMethod().name().equals("PUT")
                && String.valueOf(r.getUrl().getQuery()).contains("restype=container"));
    }

    @Test
    void an_account_key_refused_when_the_container_is_created_fails_the_first_call_checked_on_recorded_answers() {
        RecordedHttpClient http = new RecordedHttpClient(AzureRecordedResponsesTest::containerSasAnswer);
        try (AzureBlobStore store = store(http)) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.stat(BlobKey.of("k")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("AZURE_ACCOUNT_KEY").doesNotContain(KEY);
            assertThat(store.health().healthy()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sas_token|sv=2025-11-05&sr=c&sp=racwdl&sig=cmVjb3JkZWQ%3D",
        "connection_string|BlobEndpoint=http://127.0.0.1:9/recorded;SharedAccessSignature=sv=2025-11-05&sr=c&sp=racwdl&sig=cmVjb3JkZWQ%3D"})
    void a_copy_authorized_by_a_sas_names_its_source_with_that_sas_checked_on_the_request(String setting, String value) {
        Map<String, String> s = new HashMap<>(Map.of(setting, value, "container", "files", "max_attempts", "1"));
        if (setting.equals("sas_token")) {
            s.put("endpoint", "http://127.0.0.1:9/recorded");
        }
        Map<String, String> hot = new HashMap<>(ARCHIVED);
        hot.put("x-ms-access-tier", "Hot");
        RecordedHttpClient http = new RecordedHttpClient(RecordedHttpClient.withContainer(r -> r.getHeaders()
                .getValue("x-ms-copy-source") != null
                ? RecordedHttpClient.Answer.of(202, Map.of("x-ms-copy-id", "c1", "x-ms-copy-status", "success",
                        "ETag", "\"0x9\"", "Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT"))
                : RecordedHttpClient.Answer.of(200, hot)));
        try (AzureBlobStore store = new AzureBlobStore(AzureBlobStoreConfig.from(new BackendConfig("azure", "azure_blob",
                s, Path.of("target"))), http)) {
            store.copy(BlobKey.of("from.txt"), BlobKey.of("to.txt"));
        }
        HttpRequest copy = http.requests.stream().filter(r -> r.getHeaders().getValue("x-ms-copy-source") != null)
                .findFirst().orElseThrow();
        assertThat(copy.getHeaders().getValue("x-ms-copy-source")).contains("/files/from.txt?")
                .contains("sig=cmVjb3JkZWQ%3D");
    }

    @Test
    void reading_a_blob_the_service_says_is_archived_fails_typed_checked_on_a_recorded_answer() {
        Function<HttpRequest, RecordedHttpClient.Answer> answer = r -> r.getHttpMethod().name().equals("HEAD")
                ? RecordedHttpClient.Answer.of(200, ARCHIVED) : RecordedHttpClient.Answer.error(409, "BlobArchived");
        try (AzureBlobStore store = store(new RecordedHttpClient(RecordedHttpClient.withContainer(answer)))) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> store.get(BlobKey.of("cold.bin")));
            assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
            assertThat(e.getMessage()).contains("Archive").contains("rehydrated");
        }
    }
}
