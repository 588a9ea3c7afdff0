package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's writers' pool is borrowed through a gate (decision 0108): when more threads want a connection than the
 * pool holds, the others wait at the gate, never inside HikariCP, whose own wait cost a save of 32 threads on ten
 * connections about nine {@code futex} calls more than a bare put; and every path that borrows gives its turn back.
 */
class ConnectionGateOnPostgresTest extends ServiceTestBase {

    private static final int POOL = 2;

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_DATABASE_POOL_SIZE", Integer.toString(POOL));
    }

    @Test
    void borrowers_beyond_the_pools_connections_wait_at_the_gate_and_none_inside_the_pool() throws Exception {
        try (CatalogDatabase db = CatalogDatabase.open(settings());
             ExecutorService threads = Executors.newFixedThreadPool(POOL + 2)) {
            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            db.publishMetrics(registry);
            CountDownLatch holding = new CountDownLatch(POOL);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < POOL; i++) {
                done.add(threads.submit(() -> db.inStatement("test", c -> {
                    holding.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return one(c);
                })));
            }
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            // A statement of a save, and a JDBI transaction, each wanting a connection while none is free.
            done.add(threads.submit(() -> db.inStatement("test", ConnectionGateOnPostgresTest::one)));
            done.add(threads.submit(() -> db.inTransaction("test",
                    h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (db.waitingAtGate() + db.waitingInPool() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }

            assertThat(db.waitingInPool()).as("threads waiting inside the pool").isZero();
            assertThat(db.waitingAtGate()).as("threads waiting at the gate").isEqualTo(2);
            // The pool's own gauge of pending threads reads zero behind the gate; the gate's says who waits.
            assertThat(registry.get(CatalogDatabase.WAITING_METRIC).gauge().value()).isEqualTo(2.0);
            release.countDown();
            for (Future<Integer> f : done) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            }
        }
    }

    @Test
    void a_failed_statement_or_transaction_gives_its_turn_back() {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            for (int i = 0; i < POOL + 1; i++) {
                assertThatThrownBy(() -> db.inStatement("test",
                        c -> c.createStatement().executeQuery("SELECT nothing"))).isInstanceOf(StorageException.class);
                assertThatThrownBy(() -> db.useTransaction("test", h -> h.execute("SELECT nothing")))
                        .isInstanceOf(StorageException.class);
                assertThatThrownBy(() -> db.readPlain("test", c -> c.createStatement().executeQuery("SELECT nothing")))
                        .isInstanceOf(StorageException.class);
            }

            assertThat(db.freeAtGate()).isEqualTo(POOL);
            // And the pool still lends all it has, at once.
            int both = db.inStatement("test", a -> db.inStatement("test", b -> one(a) + one(b)));
            assertThat(both).isEqualTo(2);
        }
    }

    @Test
    void saves_of_more_threads_than_connections_all_commit_with_exact_usage() throws Exception {
        int saves = 24;
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<FileRecord>> done = new ArrayList<>();
            for (int i = 0; i < saves; i++) {
                int n = i;
                done.add(threads.submit(() -> save("ada", "file-" + n + ".txt", "content " + n)));
            }
            for (Future<FileRecord> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(service.usage("ada").files()).isEqualTo(saves);
        assertThat(service.list("ada", "", "", 100).files()).hasSize(saves);
        // Every turn comes back (the service's background workers may hold one for a moment).
        CatalogDatabase catalog = service.catalog();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (catalog.freeAtGate() < POOL && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(catalog.freeAtGate()).isEqualTo(POOL);
    }

    private static int one(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
