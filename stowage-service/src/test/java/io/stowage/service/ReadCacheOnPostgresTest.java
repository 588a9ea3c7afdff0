package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobContent;
import io.stowage.ErrorKind;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL read cache (decision 0081): what it may serve, told by notifications and proven by heartbeats, when
 * a lookup races a commit, when the listener's connection is lost or its heartbeats stop, and with a window of 0.
 */
class ReadCacheOnPostgresTest extends ReadCacheSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Override
    void heard(StorageService node) {
        cache(node).awaitHeartbeat();
    }

    static PostgresReadCache cache(StorageService node) {
        return (PostgresReadCache) node.readCache;
    }

    @Test
    void a_lookup_that_raced_another_nodes_commit_does_not_keep_what_the_commit_replaced() {
        FileRecord saved = other.save("ada", "notes.txt", BlobContent.ofUtf8("text"), SaveOptions.defaults());
        PostgresReadCache cache = cache(service);
        cache.awaitHeartbeat();
        // The lookup has found the file as it was; the rename commits, and is heard, before the lookup's row is kept.
        cache.afterLookup = () -> {
            cache.afterLookup = () -> { };
            other.rename("ada", saved.id(), "renamed.txt");
            cache.awaitHeartbeat();
        };

        assertThat(service.info("ada", saved.id()).name()).isEqualTo("notes.txt");
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
    }

    @Test
    void an_event_listener_reads_the_new_version_it_hears_of_before_postgresql_tells_of_it() throws Exception {
        FileRecord saved = keptFile("1h", "one");
        PostgresReadCache cache = cache(service);
        java.util.List<Integer> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        service.addListener(e -> heard.add(service.info(e.owner(), e.fileId()).version()));
        CountDownLatch release = holdListener(cache);
        try {
            service.replace("ada", saved.id(), BlobContent.ofUtf8("two"), SaveOptions.defaults());

            // Announced once committed, and this node's cache forgot the file first: the listener reads version 2.
            assertThat(heard).containsExactly(2);
            assertThat(cache.fresh()).as("the listener was held all along").isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void this_nodes_own_changes_are_read_back_before_postgresql_tells_of_them() throws Exception {
        FileRecord saved = keptFile("1h", "one");
        PostgresReadCache cache = cache(service);
        CountDownLatch release = holdListener(cache);
        try {
            service.replace("ada", saved.id(), BlobContent.ofUtf8("two"), SaveOptions.defaults());
            assertThat(readTwice(service, "ada", saved.id())).isEqualTo("two");
            service.rename("ada", saved.id(), "renamed.txt");
            assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
            service.setMetadata("ada", saved.id(), Map.of("k", "v"));
            assertThat(service.info("ada", saved.id()).metadata()).containsEntry("k", "v");
            service.delete("ada", saved.id());
            assertThatThrownBy(() -> service.info("ada", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
            service.undelete("ada", saved.id());
            readTwice(service, "ada", saved.id());
            service.eraseOwner("ada");
            assertThatThrownBy(() -> service.info("ada", saved.id())).satisfies(e -> assertKind(e, ErrorKind.NOT_FOUND));
            assertThat(cache.fresh()).as("the listener was held all along").isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void once_no_heartbeat_is_heard_for_the_window_every_read_looks_its_file_up() throws Exception {
        FileRecord saved = keptFile("300ms", "text");
        PostgresReadCache cache = cache(service);
        CountDownLatch release = holdListener(cache);
        try {
            other.rename("ada", saved.id(), "renamed.txt");
            cache.awaitStale();
            long before = cache.hits();
            assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
            assertThat(cache.hits()).isEqualTo(before);
        } finally {
            release.countDown();
        }
        cache.awaitHeartbeat();
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
    }

    @Test
    void a_lost_listener_connection_turns_the_cache_off_until_it_is_back_and_forgets_what_it_kept() throws Exception {
        FileRecord saved = keptFile(null, "text");
        PostgresReadCache cache = cache(service);
        CountDownLatch away = new CountDownLatch(1);
        CountDownLatch back = new CountDownLatch(1);
        cache.listener().beforeReconnect = () -> {
            away.countDown();
            awaitQuietly(back);
        };
        try {
            terminate(cache.listener().backendPid());
            assertThat(away.await(30, TimeUnit.SECONDS)).as("the listener noticed").isTrue();

            other.rename("ada", saved.id(), "renamed.txt"); // heard by nobody here
            long before = cache.hits();
            assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
            assertThat(readTwice(service, "ada", saved.id())).isEqualTo("text");
            assertThat(cache.hits()).as("nothing served while the listener is away").isEqualTo(before);
        } finally {
            back.countDown();
        }
        cache.awaitHeartbeat();
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
        long before = cache.hits();
        readTwice(service, "ada", saved.id());
        assertThat(cache.hits() - before).as("served from memory again").isGreaterThanOrEqualTo(1);
        other.rename("ada", saved.id(), "again.txt");
        cache.awaitHeartbeat();
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("again.txt");
    }

    @Test
    void a_window_of_zero_keeps_no_files_and_looks_every_read_up() {
        restartWith("STOWAGE_DATABASE_READ_WINDOW", "0");
        FileRecord saved = save("ada", "notes.txt", "cold");

        assertThat(service.readCache).isNull();
        assertThat(readTwice(service, "ada", saved.id())).isEqualTo("cold");
        other.rename("ada", saved.id(), "renamed.txt");
        assertThat(service.info("ada", saved.id()).name()).isEqualTo("renamed.txt");
    }

    @Test
    void a_change_written_in_the_replica_role_is_told_as_any_other() {
        // A logical replication subscriber applies the publisher's rows in this role, which skips ordinary triggers.
        FileRecord saved = keptFile(null, "one");
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            db.withHandle("test", h -> {
                h.execute("SET session_replication_role = replica");
                try {
                    return h.execute("UPDATE files SET name = 'replicated.txt' WHERE id = ?", saved.id());
                } finally {
                    h.execute("SET session_replication_role = DEFAULT");
                }
            });
        }
        heard(service);

        assertThat(service.info("ada", saved.id()).name()).isEqualTo("replicated.txt");
    }

    @Test
    void an_owners_quota_read_by_a_save_is_kept_and_read_from_memory_after() {
        cache(service).awaitHeartbeat();
        save("ada", "notes.txt", "text");

        assertThat(cache(service).quota("ada", () -> {
            throw new AssertionError("the quota was looked up");
        })).isEqualTo(Quota.defaults());
        assertThat(cache(service).quota("bob", Quota::defaults)).isEqualTo(Quota.defaults());
    }

    @Test
    void this_nodes_own_quota_change_holds_before_postgresql_tells_of_it() throws Exception {
        keptFile("1h", "one");
        save("ada", "notes.txt", "text");
        CountDownLatch release = holdListener(cache(service));
        try {
            service.setQuota("ada", Quota.defaults().withMaxUploadSize(3));

            assertThatThrownBy(() -> save("ada", "more.txt", "four")).satisfies(e -> assertKind(e, ErrorKind.TOO_LARGE));
        } finally {
            release.countDown();
        }
    }

    @Test
    void postgresql_keeps_no_change_log() {
        assertThatThrownBy(() -> rows("catalog_changes")).satisfies(e -> assertKind(e, ErrorKind.UNAVAILABLE));
    }

    /**
     * Restarts this node with a read window of {@code window} (null: as it is), saves a file and reads it until this
     * node keeps it.
     */
    private FileRecord keptFile(String window, String text) {
        if (window != null) {
            restartWith("STOWAGE_DATABASE_READ_WINDOW", window);
        }
        FileRecord saved = save("ada", "notes.txt", text);
        cache(service).awaitHeartbeat();
        readTwice(service, "ada", saved.id());
        return saved;
    }

    /**
     * Holds the listener before the next batch it hears (so it tells nothing more) until the latch returned is
     * counted down.
     */
    static CountDownLatch holdListener(PostgresReadCache cache) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        cache.listener().beforeBatch = () -> {
            held.countDown();
            awaitQuietly(release);
        };
        assertThat(held.await(30, TimeUnit.SECONDS)).as("the listener is held").isTrue();
        cache.listener().beforeBatch = () -> { };
        return release;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void terminate(int pid) {
        assertThat(pid).isPositive();
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            boolean ended = db.withHandle("test", h -> h.createQuery("SELECT pg_terminate_backend(:pid)")
                    .bind("pid", pid).mapTo(Boolean.class).one());
            assertThat(ended).isTrue();
        }
    }

    private void restartWith(String key, String value) {
        service.close();
        Map<String, String> env = new HashMap<>(settingsMap());
        env.put(key, value);
        service = StorageService.open(settingsOf(env, home), store);
    }
}
