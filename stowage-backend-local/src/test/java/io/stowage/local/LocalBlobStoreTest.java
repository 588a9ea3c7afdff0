package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.ListRequest;
import io.stowage.MetadataEditor;
import io.stowage.PutOptions;
import io.stowage.SoftDelete;
import io.stowage.StorageException;
import io.stowage.Versioned;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.spi.BackendConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {

    @TempDir
    Path root;

    LocalBlobStore store;

    @BeforeEach
    void open() {
        store = LocalBlobStore.open(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static BlobContent text(String s) {
        return BlobContent.ofUtf8(s);
    }

    private String read(BlobKey key) {
        try (BlobRead r = store.get(key)) {
            return new String(r.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static StorageException failure(Runnable r) {
        try {
            r.run();
        } catch (StorageException e) {
            return e;
        }
        throw new AssertionError("expected a StorageException");
    }

    @Test
    void the_root_holds_data_metadata_versions_trash_and_tmp() {
        for (String area : List.of("data", "metadata", "versions", "trash", "tmp")) {
            assertThat(root.resolve(area)).isDirectory();
        }
    }

    @Test
    void an_object_is_a_data_file_and_a_json_sidecar_naming_its_version() throws Exception {
        BlobInfo info = store.put(BlobKey.of("a/b.txt"), text("hello"),
                PutOptions.builder().contentType("text/plain").metadata(Map.of("owner", "ann")).build());
        Path sidecar = root.resolve("metadata/a/b.txt~.json");
        assertThat(sidecar).isRegularFile();
        String json = Files.readString(sidecar);
        assertThat(json).contains("\"key\" : \"a/b.txt\"", "\"size\" : 5", "\"content_type\" : \"text/plain\"",
                "\"owner\" : \"ann\"", "\"sha256\" : \"" + info.sha256().orElseThrow() + "\"",
                "\"version_id\" : \"" + info.versionId().orElseThrow() + "\"", "\"created\"", "\"modified\"", "\"tier\"");
        assertThat(root.resolve("data/a/b.txt~" + info.versionId().orElseThrow())).hasContent("hello");
        assertThat(info.etag()).isEqualTo(info.sha256());
        assertThat(files(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void a_key_and_keys_below_it_both_exist() {
        store.put(BlobKey.of("a"), text("file a"));
        store.put(BlobKey.of("a/b"), text("file a/b"));
        store.put(BlobKey.of("a/b/c"), text("file a/b/c"));
        assertThat(read(BlobKey.of("a"))).isEqualTo("file a");
        assertThat(read(BlobKey.of("a/b"))).isEqualTo("file a/b");
        assertThat(read(BlobKey.of("a/b/c"))).isEqualTo("file a/b/c");
        assertThat(store.list(ListRequest.prefix("")).items()).extracting(i -> i.key().value())
                .containsExactly("a", "a/b", "a/b/c");
        assertThat(store.list(ListRequest.folder("a/")).items()).extracting(i -> i.key().value()).containsExactly("a/b");
        assertThat(store.list(ListRequest.folder("a/")).commonPrefixes()).containsExactly("a/b/");
    }

    @Test
    void a_segment_longer_than_a_file_name_may_be_is_stored_and_listed() {
        String longSegment = "s".repeat(300);
        BlobKey key = BlobKey.of("long/" + longSegment + "/" + "é".repeat(150));
        store.put(key, text("long"));
        store.put(BlobKey.of("long/" + longSegment + "x"), text("sibling"));
        assertThat(read(key)).isEqualTo("long");
        assertThat(store.list(ListRequest.prefix("long/")).items()).extracting(i -> i.key().value())
                .containsExactly(key.value(), "long/" + longSegment + "x");
        assertThat(store.list(ListRequest.folder("long/")).commonPrefixes()).containsExactly("long/" + longSegment + "/");
        assertThat(store.list(ListRequest.prefix("long/" + longSegment + "/")).items()).hasSize(1);
    }

    @Test
    void non_ascii_keys_become_ascii_names_on_disk_and_list_in_utf8_byte_order() throws Exception {
        List<String> keys = List.of("u/z", "u/é", "u/\uFF5E", "u/日本/語", "u/\uD83D\uDE00", "u/~tilde", "u/%41");
        for (String k : keys) {
            store.put(BlobKey.of(k), text(k));
        }
        for (String k : keys) {
            assertThat(read(BlobKey.of(k))).isEqualTo(k);
        }
        for (Path p : files(root)) {
            assertThat(root.relativize(p).toString()).matches("[\\x21-\\x7e]+");
        }
        List<String> expected = new ArrayList<>(keys);
        expected.sort(BlobKey::compareUtf8);
        assertThat(store.list(ListRequest.prefix("u/")).items()).extracting(i -> i.key().value())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void listing_a_prefix_reads_only_its_subtree() throws Exception {
        store.put(BlobKey.of("in/a"), text("1"));
        store.put(BlobKey.of("in/deeper/b"), text("2"));
        store.put(BlobKey.of("out/c"), text("3"));
        store.put(BlobKey.of("inner/d"), text("4"));
        List<Path> read = new java.util.concurrent.CopyOnWriteArrayList<>();
        MetadataTree.directoryReads = read::add;
        try {
            assertThat(store.list(ListRequest.prefix("in/")).items()).extracting(i -> i.key().value())
                    .containsExactly("in/a", "in/deeper/b");
        } finally {
            MetadataTree.directoryReads = dir -> { };
        }
        Path subtree = root.resolve("metadata/in");
        assertThat(read).isNotEmpty().allSatisfy(dir -> assertThat(dir.normalize()).startsWith(subtree));
    }

    @Test
    void a_symlink_inside_the_root_is_not_followed(@TempDir Path outside) throws Exception {
        // A folder of its own, not a sibling of the root: JUnit deletes it after the test as it does the root.
        Files.writeString(outside.resolve("secret~.json"), "{}");
        Files.writeString(outside.resolve("keep.txt"), "untouched");
        Files.createSymbolicLink(root.resolve("metadata/linked"), outside);
        Files.createSymbolicLink(root.resolve("data/linked"), outside);
        store.put(BlobKey.of("real/file"), text("x"));
        Files.createSymbolicLink(root.resolve("metadata/real/other~.json"), root.resolve("metadata/real/file~.json"));

        assertThat(store.exists(BlobKey.of("linked/secret"))).isFalse();
        assertThat(store.exists(BlobKey.of("real/other"))).isFalse();
        assertThat(store.list(ListRequest.prefix("")).items()).extracting(i -> i.key().value())
                .containsExactly("real/file");
        assertThat(store.list(ListRequest.prefix("linked/")).items()).isEmpty();
        StorageException e = failure(() -> store.put(BlobKey.of("linked/new"), text("escape")));
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("secret~.json", "keep.txt");
        }
        assertThat(files(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void a_symlink_deeper_in_a_key_s_path_is_not_followed(@TempDir Path outside) throws Exception {
        BlobKey key = BlobKey.of("owner/2026/12/file");
        store.put(key, text("inside"));
        // A middle directory of the sidecar's path moves out of the root and a link takes its place: following the
        // link would find a whole, valid object.
        Path metadata = store.layout.dir(store.layout.metadata, key).getParent();
        Files.move(metadata, outside.resolve("metadata"));
        Files.createSymbolicLink(metadata, outside.resolve("metadata"));
        assertThat(store.exists(key)).isFalse();
        assertThat(failure(() -> store.get(key)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        Files.delete(metadata);
        Files.move(outside.resolve("metadata"), metadata);
        assertThat(read(key)).isEqualTo("inside");
        // The same on the content's side: the sidecar is real, its content is reached through a link.
        Path data = store.layout.dir(store.layout.data, key).getParent();
        Files.move(data, outside.resolve("data"));
        Files.createSymbolicLink(data, outside.resolve("data"));
        assertThat(failure(() -> store.get(key)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(failure(() -> store.put(BlobKey.of("owner/2026/12/other"), text("escape"))).kind())
                .isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(files(outside.resolve("data"))).hasSize(1);
    }

    @Test
    void an_area_moved_away_after_the_store_opened_is_not_read_from(@TempDir Path outside) throws Exception {
        BlobKey key = BlobKey.of("owner/2026/12/file");
        store.put(key, text("inside"));
        assertThat(read(key)).isEqualTo("inside");
        // The store holds data/ and metadata/ open and reads below them (decision 0093). The directory it holds, moved
        // out of the root with a link or another directory in its place, still has a whole, valid object in it.
        for (Path area : List.of(store.layout.metadata, store.layout.data)) {
            Path away = outside.resolve(area.getFileName().toString());
            Files.move(area, away);
            Files.createSymbolicLink(area, away);
            assertThat(failure(() -> store.get(key)).kind()).as("%s replaced by a link", area).isEqualTo(ErrorKind.NOT_FOUND);
            Files.delete(area);
            Files.createDirectory(area);
            assertThat(failure(() -> store.get(key)).kind()).as("%s replaced by a directory", area)
                    .isEqualTo(ErrorKind.NOT_FOUND);
            Files.delete(area);
            Files.move(away, area);
            assertThat(read(key)).as("%s back", area).isEqualTo("inside");
        }
    }

    @Test
    void keys_that_look_like_traversal_stay_inside_the_root() throws Exception {
        for (String k : List.of("..a/b", "a/..b", "...", "a/.../b", "%2e%2e%2fx", "~/x", "-rf")) {
            store.put(BlobKey.of(k), text(k));
            assertThat(read(BlobKey.of(k))).isEqualTo(k);
        }
        for (Path p : files(root)) {
            assertThat(p.normalize()).startsWith(root.toRealPath());
        }
    }

    @Test
    void an_overwrite_keeps_the_replaced_object_as_a_version_up_to_the_retention() {
        store.close();
        store = new LocalBlobStore("local", root, LocalBlobStoreConfig.defaults().withVersionRetention(2));
        BlobKey key = BlobKey.of("v/doc");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            ids.add(store.put(key, text("v" + i)).versionId().orElseThrow());
        }
        Versioned versions = store.feature(Versioned.class).orElseThrow();
        assertThat(versions.versions(key)).extracting(Versioned.BlobVersion::versionId)
                .containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(versions.versions(key).get(0).current()).isTrue();
        try (BlobRead r = versions.getVersion(key, ids.get(1), io.stowage.GetOptions.defaults())) {
            assertThat(r.readAllBytes()).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(failure(() -> versions.getVersion(key, ids.get(0), io.stowage.GetOptions.defaults())).kind())
                .isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(failure(() -> versions.getVersion(key, "../../metadata", io.stowage.GetOptions.defaults())).kind())
                .isEqualTo(ErrorKind.NOT_FOUND);

        BlobInfo restored = versions.restore(key, ids.get(1));
        assertThat(read(key)).isEqualTo("v2");
        assertThat(versions.versions(key)).extracting(Versioned.BlobVersion::versionId)
                .containsExactly(restored.versionId().orElseThrow(), ids.get(3), ids.get(2));
        assertThat(versions.deleteVersion(key, ids.get(2))).isTrue();
        assertThat(versions.deleteVersion(key, ids.get(2))).isFalse();
        assertThat(versions.deleteVersion(key, restored.versionId().orElseThrow())).isFalse();
    }

    @Test
    void without_versioning_an_overwrite_leaves_one_data_file() throws Exception {
        store.close();
        store = new LocalBlobStore("local", root, LocalBlobStoreConfig.defaults().withVersioning(false));
        BlobKey key = BlobKey.of("nv/doc");
        store.put(key, text("one"));
        store.put(key, text("two"));
        assertThat(store.feature(Versioned.class)).isEmpty();
        assertThat(store.capabilities().versioning()).isFalse();
        assertThat(files(root.resolve("data"))).hasSize(1);
        assertThat(files(root.resolve("versions"))).isEmpty();
    }

    @Test
    void a_deleted_object_goes_to_the_trash_and_can_be_restored_or_purged() throws Exception {
        BlobKey key = BlobKey.of("t/doc");
        store.put(key, text("keep me"));
        assertThat(store.delete(key)).isTrue();
        assertThat(store.delete(key)).isFalse();
        assertThat(store.exists(key)).isFalse();
        assertThat(store.list(ListRequest.prefix("t/")).items()).isEmpty();
        SoftDelete trash = store.feature(SoftDelete.class).orElseThrow();
        assertThat(trash.trash("t/")).extracting(d -> d.info().key().value()).containsExactly("t/doc");

        assertThat(trash.restore(key).size()).isEqualTo(7);
        assertThat(read(key)).isEqualTo("keep me");
        assertThat(trash.trash("")).isEmpty();
        assertThat(failure(() -> trash.restore(key)).kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);

        store.delete(key);
        assertThat(trash.purge(key)).isTrue();
        assertThat(trash.purge(key)).isFalse();
        assertThat(failure(() -> trash.restore(key)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(files(root.resolve("trash"))).isEmpty();
        assertThat(files(root.resolve("data"))).isEmpty();

        store.put(key, text("again"));
        store.delete(key);
        assertThat(trash.purgeDeletedBefore(Instant.now().minusSeconds(60))).isZero();
        assertThat(trash.purgeDeletedBefore(Instant.now().plusSeconds(1))).isEqualTo(1);
        assertThat(trash.trash("")).isEmpty();
    }

    @Test
    void editing_metadata_rewrites_the_sidecar_and_not_the_data() throws Exception {
        BlobKey key = BlobKey.of("m/doc");
        BlobInfo put = store.put(key, text("content"));
        Path data = root.resolve("data/m/doc~" + put.versionId().orElseThrow());
        FileTime before = Files.getLastModifiedTime(data);
        Object inode = Files.readAttributes(data, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        MetadataEditor editor = store.feature(MetadataEditor.class).orElseThrow();
        editor.setMetadata(key, Map.of("label", "x"));
        BlobInfo edited = editor.setContentType(key, "text/plain");
        assertThat(edited.metadata()).containsEntry("label", "x");
        assertThat(edited.contentType()).isEqualTo("text/plain");
        assertThat(edited.sha256()).isEqualTo(put.sha256());
        assertThat(Files.getLastModifiedTime(data)).isEqualTo(before);
        assertThat(Files.readAttributes(data, java.nio.file.attribute.BasicFileAttributes.class).fileKey()).isEqualTo(inode);
        assertThat(store.stat(key).metadata()).containsEntry("label", "x");
        assertThat(failure(() -> editor.setMetadata(BlobKey.of("m/none"), Map.of())).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void stale_temp_files_are_removed_at_start_but_a_live_writers_temp_is_left_alone() throws Exception {
        Path tmp = root.resolve("tmp");
        // A dead writer: a process id that is not running.
        Path stale = Files.writeString(tmp.resolve("999999999-dead.part"), "partial");
        Path garbage = Files.writeString(tmp.resolve("junk"), "x");
        // A live writer of this JVM, mid-write.
        TempFiles.Temp live = store.temps.create(".part");
        try {
            live.channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
            try (LocalBlobStore second = LocalBlobStore.open(root)) {
                assertThat(stale).doesNotExist();
                assertThat(garbage).doesNotExist();
                assertThat(live.path).exists();
                assertThat(second.health().healthy()).isTrue();
            }
            // The live writer still holds its lock: another process could not take it.
            assertThat(live.channel.isOpen()).isTrue();
        } finally {
            live.close();
        }
        assertThat(files(tmp)).isEmpty();
    }

    @Test
    void an_intent_left_by_a_dead_writer_is_reconciled_at_start() throws Exception {
        BlobKey key = BlobKey.of("r/doc");
        BlobInfo info = store.put(key, text("current"));
        // What a writer killed between placing new content and committing its sidecar leaves behind.
        Path orphan = Files.writeString(root.resolve("data/r/doc~" + VersionIds.next()), "uncommitted");
        Files.write(root.resolve("tmp/999999999-x.intent"), key.utf8());
        try (LocalBlobStore second = LocalBlobStore.open(root)) {
            assertThat(orphan).doesNotExist();
            assertThat(root.resolve("data/r/doc~" + info.versionId().orElseThrow())).exists();
            try (BlobRead r = second.get(key)) {
                assertThat(r.readAllBytes()).isEqualTo("current".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void concurrent_create_only_puts_have_exactly_one_winner() throws Exception {
        BlobKey key = BlobKey.of("race/once");
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String body = "writer " + i;
                Callable<String> task = () -> {
                    go.await();
                    try {
                        store.put(key, text(body), PutOptions.builder().createOnly(true).build());
                        return body;
                    } catch (StorageException e) {
                        assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
                        return null;
                    }
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> f : results) {
                if (f.get() != null) {
                    winners.add(f.get());
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(read(key)).isEqualTo(winners.get(0));
            assertThat(store.feature(Versioned.class).orElseThrow().versions(key)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(files(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void concurrent_deletes_and_purges_of_keys_sharing_directories_all_succeed() throws Exception {
        // Each purge prunes the trash's emptied directories, which the other keys' deletes are making at the
        // same time (the service's keys share <owner>/<yyyy>/<mm>/): a delete must not lose its directory to them.
        SoftDelete trash = store.feature(SoftDelete.class).orElseThrow();
        int threads = 8;
        int rounds = 40;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int worker = i;
                results.add(pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        BlobKey key = BlobKey.of("owner/2026/12/f" + worker + "-" + r + "/v");
                        store.put(key, text("x"), PutOptions.defaults());
                        assertThat(store.delete(key)).isTrue();
                        assertThat(trash.purge(key)).isTrue();
                    }
                    return rounds;
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(rounds);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(trash.trash("")).isEmpty();
    }

    @Test
    void tiers_are_unsupported_and_the_capabilities_say_what_the_store_does() {
        StorageException e = failure(() -> store.put(BlobKey.of("x"), text("x"),
                PutOptions.builder().tier(io.stowage.Tier.COLD).build()));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
        var caps = store.capabilities();
        assertThat(caps.rangeRead() && caps.conditionalPut() && caps.unknownLengthPut() && caps.serverSideCopy()
                && caps.metadataUpdate() && caps.versioning() && caps.softDelete() && caps.listConsistent()).isTrue();
        assertThat(caps.presign() || caps.tiers() || caps.lifecycle() || caps.multipart()).isFalse();
    }

    @Test
    void the_provider_opens_a_local_store_from_settings() throws Exception {
        BackendConfig config = new BackendConfig("disk", "local",
                Map.of("path", root.resolve("p").toString(), "versioning", "false", "soft_delete", "false",
                        "version_retention", "3", "fsync", "false"), root);
        try (BlobStore s = BlobStoreProviders.load().open(config)) {
            assertThat(s).as("opened behind the one capability check").isInstanceOf(io.stowage.internal.CapabilityCheck.class);
            assertThat(io.stowage.layer.LayerStack.find(s, LocalBlobStore.class)).isPresent();
            assertThat(s.name()).isEqualTo("disk");
            assertThat(s.feature(SoftDelete.class)).isEmpty();
            s.put(BlobKey.of("k"), text("v"));
            assertThat(root.resolve("p/metadata/k~.json")).exists();
        }
        BackendConfig home = new BackendConfig("local", "local", Map.of(), root.resolve("home"));
        try (BlobStore s = BlobStoreProviders.load().open(home)) {
            assertThat(root.resolve("home/data")).isDirectory();
        }
        assertThat(failure(() -> BlobStoreProviders.load().open(new BackendConfig("bad", "local",
                Map.of("path", root.toString(), "versioning", "maybe"), root))).kind()).isEqualTo(ErrorKind.CONFIG);
    }

    @Test
    void a_reader_keeps_its_content_while_the_key_is_overwritten_and_deleted() throws Exception {
        BlobKey key = BlobKey.of("o/doc");
        store.put(key, text("old content"));
        try (BlobRead r = store.get(key)) {
            store.put(key, text("new content"));
            store.delete(key);
            assertThat(r.readAllBytes()).isEqualTo("old content".getBytes(StandardCharsets.UTF_8));
        }
    }
}
