package io.stowage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.HttpRequest;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.StorageException;
import io.stowage.Versioned;
import io.stowage.spi.BackendConfig;
import io.stowage.spi.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Blob versions, which Azurite does not keep: a small recorded container that answers as a versioned
 * storage account does (list with {@code include=versions}, reads, copies and deletes by
 * {@code versionid}), fed to the real SDK pipeline. The names say these check the requests Stowage sends
 * and how it reads Azure's answers, not Azure itself; the contract on Azurite checks that a store
 * without the setting says it has no versions.
 */
class AzureVersionsRecordedTest {

    private static final String ACCOUNT_KEY = "cmVjb3JkZWQta2V5LXRoYXQtbXVzdC1uZXZlci1zaG93LXVw";
    private static final String V1 = "2026-11-24T10:00:00.0000001Z";
    private static final String V2 = "2026-11-24T11:00:00.0000002Z";
    private static final String V3 = "2026-11-24T12:00:00.0000003Z";
    private static final String DATE = "Tue, 24 Nov 2026 10:00:00 GMT";

    /** One stored version of doc.txt. */
    private record Version(String id, String content) {
        String etag() {
            return "\"0x" + Integer.toHexString(id.hashCode() & 0xfffffff) + "\"";
        }

        String sha256() {
            return Sha256.of(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A versioned container holding the versions of one blob, {@code doc.txt}; the last one is current. */
    private static final class VersionedContainer {
        final Map<String, Version> versions = new LinkedHashMap<>();
        String current;
        final List<String> copySources = new ArrayList<>();
        final List<String> deletedVersions = new ArrayList<>();

        VersionedContainer(String... contents) {
            String[] ids = {V1, V2, V3};
            for (int i = 0; i < contents.length; i++) {
                versions.put(ids[i], new Version(ids[i], contents[i]));
                current = ids[i];
            }
        }

        /** Answers for the container (it exists) and for the blob's versions. */
        RecordedHttpClient client() {
            var container = RecordedHttpClient.withContainer(this::answer);
            return new RecordedHttpClient(r -> String.valueOf(r.getUrl().getQuery()).contains("comp=list")
                    ? answer(r) : container.apply(r));
        }

        RecordedHttpClient.Answer answer(HttpRequest r) {
            String method = r.getHttpMethod().name();
            String query = r.getUrl().getQuery() == null ? "" : r.getUrl().getQuery();
            String versionId = param(query, "versionid");
            if (query.contains("comp=list")) {
                return RecordedHttpClient.Answer.ofBody(200, Map.of("Content-Type", "application/xml"), listing());
            }
            if (method.equals("PUT") && r.getHeaders().getValue("x-ms-copy-source") != null) {
                String source = r.getHeaders().getValue("x-ms-copy-source");
                copySources.add(source);
                Version from = versions.get(param(source.substring(source.indexOf('?') + 1), "versionid"));
                String id = "2026-11-24T13:00:00.000000" + versions.size() + "Z";
                versions.put(id, new Version(id, from.content()));
                current = id;
                return RecordedHttpClient.Answer.of(202, Map.of("x-ms-copy-id", "copy-1", "x-ms-copy-status", "success",
                        "ETag", versions.get(id).etag(), "Last-Modified", DATE, "x-ms-version-id", id));
            }
            if (method.equals("DELETE")) {
                if (versionId == null || !versions.containsKey(versionId)) {
                    return RecordedHttpClient.Answer.error(404, "BlobNotFound");
                }
                deletedVersions.add(versionId);
                versions.remove(versionId);
                return RecordedHttpClient.Answer.of(202, Map.of());
            }
            if (versionId != null && !versionId.matches("\\d{4}-.*Z")) {
                return RecordedHttpClient.Answer.error(400, "InvalidQueryParameterValue");
            }
            Version v = versions.get(versionId == null ? current : versionId);
            if (v == null) {
                return RecordedHttpClient.Answer.error(404, "BlobNotFound");
            }
            Map<String, String> h = new HashMap<>(Map.of("Content-Type", "text/plain", "ETag", v.etag(),
                    "Last-Modified", DATE, "x-ms-creation-time", DATE, "x-ms-blob-type", "BlockBlob",
                    "x-ms-version-id", v.id(), "x-ms-meta-_stowage_sha256", v.sha256()));
            if (v.id().equals(current)) {
                h.put("x-ms-is-current-version", "true");
            }
            int size = v.content().length();
            if (method.equals("HEAD")) {
                h.put("Content-Length", String.valueOf(size));
                return RecordedHttpClient.Answer.of(200, h);
            }
            h.put("Content-Range", "bytes 0-" + (size - 1) + "/" + size);
            return RecordedHttpClient.Answer.ofBody(206, h, v.content());
        }

        private String listing() {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                    + "<EnumerationResults ServiceEndpoint=\"http://127.0.0.1:9/recorded\" ContainerName=\"files\">"
                    + "<Prefix>doc.txt</Prefix><Blobs>");
            // A blob whose name only starts with the key is listed too and must not count.
            xml.append(blob("doc.txt.bak", "2026-11-24T09:00:00.0000000Z", true, 3, "\"0x1\"", null));
            for (Version v : versions.values()) {
                xml.append(blob("doc.txt", v.id(), v.id().equals(current), v.content().length(), v.etag(), v.sha256()));
            }
            return xml.append("</Blobs><NextMarker /></EnumerationResults>").toString();
        }

        private static String blob(String name, String id, boolean current, int size, String etag, String sha) {
            return "<Blob><Name>" + name + "</Name><VersionId>" + id + "</VersionId>"
                    + (current ? "<IsCurrentVersion>true</IsCurrentVersion>" : "")
                    + "<Properties><Creation-Time>" + DATE + "</Creation-Time><Last-Modified>" + DATE
                    + "</Last-Modified><Etag>" + etag + "</Etag><Content-Length>" + size
                    + "</Content-Length><Content-Type>text/plain</Content-Type><BlobType>BlockBlob</BlobType>"
                    + "<AccessTier>Hot</AccessTier></Properties>"
                    + (sha == null ? "<Metadata />" : "<Metadata><_stowage_sha256>" + sha + "</_stowage_sha256></Metadata>")
                    + "</Blob>";
        }

        private static String param(String query, String name) {
            for (String part : query.split("&")) {
                if (part.startsWith(name + "=")) {
                    return java.net.URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    private static AzureBlobStore store(RecordedHttpClient http, boolean versioning) {
        Map<String, String> s = new HashMap<>();
        s.put("account_name", "recorded");
        s.put("account_key", ACCOUNT_KEY);
        s.put("endpoint", "http://127.0.0.1:9/recorded");
        s.put("container", "files");
        s.put("max_attempts", "1");
        s.put("versioning", String.valueOf(versioning));
        return new AzureBlobStore(AzureBlobStoreConfig.from(new BackendConfig("azure", "azure_blob", s, Path.of("target"))),
                http);
    }

    private static String read(BlobRead read) throws Exception {
        try (read) {
            return new String(read.stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void without_the_versioning_setting_the_store_offers_no_versions() {
        VersionedContainer c = new VersionedContainer("first");
        try (AzureBlobStore store = store(c.client(), false)) {
            assertThat(store.capabilities().versioning()).isFalse();
            assertThat(store.feature(Versioned.class)).isEmpty();
        }
    }

    @Test
    void versions_are_listed_newest_first_from_a_recorded_include_versions_listing() {
        VersionedContainer c = new VersionedContainer("first", "second", "third");
        RecordedHttpClient http = c.client();
        try (AzureBlobStore store = store(http, true)) {
            assertThat(store.capabilities().versioning()).isTrue();
            List<Versioned.BlobVersion> versions = store.feature(Versioned.class).orElseThrow()
                    .versions(BlobKey.of("doc.txt"));
            assertThat(versions).extracting(Versioned.BlobVersion::versionId).containsExactly(V3, V2, V1);
            assertThat(versions).extracting(Versioned.BlobVersion::current).containsExactly(true, false, false);
            assertThat(versions.get(2).info().sha256()).contains(Sha256.of("first".getBytes(StandardCharsets.UTF_8)));
            assertThat(versions).allSatisfy(v -> assertThat(v.info().backend()).isEqualTo("azure"));
        }
        assertThat(http.requests).anyMatch(r -> String.valueOf(r.getUrl().getQuery()).contains("include=")
                && String.valueOf(r.getUrl().getQuery()).contains("versions")
                && String.valueOf(r.getUrl().getQuery()).contains("prefix=doc.txt"));
    }

    @Test
    void an_old_version_is_read_by_its_version_id_checked_on_the_request() throws Exception {
        VersionedContainer c = new VersionedContainer("first", "second");
        RecordedHttpClient http = c.client();
        try (AzureBlobStore store = store(http, true)) {
            Versioned v = store.feature(Versioned.class).orElseThrow();
            BlobRead read = v.getVersion(BlobKey.of("doc.txt"), V1, GetOptions.defaults());
            assertThat(read.info().versionId()).contains(V1);
            assertThat(read(read)).isEqualTo("first");
            assertThat(read(store.get(BlobKey.of("doc.txt")))).isEqualTo("second");
        }
        assertThat(http.requests).anyMatch(r -> r.getHttpMethod().name().equals("GET")
                && String.valueOf(r.getUrl().getQuery()).contains("versionid=" + V1.replace(":", "%3A")));
    }

    @Test
    void an_unknown_or_malformed_version_id_reads_as_not_found_on_recorded_404_and_400_answers() {
        VersionedContainer c = new VersionedContainer("first");
        try (AzureBlobStore store = store(c.client(), true)) {
            Versioned v = store.feature(Versioned.class).orElseThrow();
            for (String id : List.of("2020-01-01T00:00:00.0000000Z", "no-such-version")) {
                StorageException e = catchThrowableOfType(StorageException.class,
                        () -> v.getVersion(BlobKey.of("doc.txt"), id, GetOptions.defaults()).close());
                assertThat(e.kind()).as(id).isEqualTo(ErrorKind.NOT_FOUND);
                assertThat(e.getMessage()).contains(id).contains("doc.txt");
                e = catchThrowableOfType(StorageException.class, () -> v.restore(BlobKey.of("doc.txt"), id));
                assertThat(e.kind()).as(id).isEqualTo(ErrorKind.NOT_FOUND);
                assertThat(v.deleteVersion(BlobKey.of("doc.txt"), id)).isFalse();
            }
        }
        assertThat(c.deletedVersions).isEmpty();
    }

    @Test
    void restoring_copies_the_version_over_its_blob_checked_on_the_copy_source() throws Exception {
        VersionedContainer c = new VersionedContainer("first", "second");
        RecordedHttpClient http = c.client();
        try (AzureBlobStore store = store(http, true)) {
            Versioned v = store.feature(Versioned.class).orElseThrow();
            var restored = v.restore(BlobKey.of("doc.txt"), V1);
            assertThat(restored.sha256()).contains(Sha256.of("first".getBytes(StandardCharsets.UTF_8)));
            assertThat(read(store.get(BlobKey.of("doc.txt")))).isEqualTo("first");
            // The replaced content stays a version, so restoring lost nothing.
            assertThat(v.versions(BlobKey.of("doc.txt"))).extracting(Versioned.BlobVersion::versionId)
                    .contains(V1, V2).hasSize(3);
        }
        assertThat(c.copySources).singleElement().satisfies(source -> {
            assertThat(source).contains("/files/doc.txt?").contains("versionid=");
            assertThat(source).doesNotContain(ACCOUNT_KEY);
        });
    }

    @Test
    void deleting_an_old_version_sends_delete_with_its_id_and_the_current_one_is_refused() {
        VersionedContainer c = new VersionedContainer("first", "second");
        RecordedHttpClient http = c.client();
        try (AzureBlobStore store = store(http, true)) {
            Versioned v = store.feature(Versioned.class).orElseThrow();
            assertThat(v.deleteVersion(BlobKey.of("doc.txt"), V2)).as("the current version").isFalse();
            assertThat(v.deleteVersion(BlobKey.of("doc.txt"), V1)).isTrue();
            assertThat(v.deleteVersion(BlobKey.of("doc.txt"), V1)).as("already gone").isFalse();
            assertThat(v.versions(BlobKey.of("doc.txt"))).extracting(Versioned.BlobVersion::versionId).containsExactly(V2);
        }
        assertThat(c.deletedVersions).containsExactly(V1);
        assertThat(http.requests).anyMatch(r -> r.getHttpMethod().name().equals("DELETE")
                && String.valueOf(r.getUrl().getQuery()).contains("versionid="));
    }

    @Test
    void the_versioning_setting_is_read_as_a_boolean_and_listed_among_the_settings() {
        assertThat(AzureBlobStoreConfig.SETTINGS).contains("versioning");
        Map<String, String> s = new HashMap<>(Map.of("account_name", "a", "account_key", ACCOUNT_KEY,
                "container", "files", "versioning", "maybe"));
        StorageException e = catchThrowableOfType(StorageException.class, () -> AzureBlobStoreConfig.from(
                new BackendConfig("azure", "azure_blob", s, Path.of("target"))));
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
        assertThat(e.getMessage()).contains("versioning");
    }
}
