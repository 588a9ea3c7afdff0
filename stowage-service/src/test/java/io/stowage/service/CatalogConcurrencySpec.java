package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.Test;

/**
 * How the catalog keeps up with parallel work (decision 0047): commits that arrive together share a transaction
 * and still fail one by one, a pending row's relaxed commit leaves the connection durable, and reads do not queue
 * behind the writer.
 */
abstract class CatalogConcurrencySpec extends ServiceTestBase {

    private static final long BOUND_SECONDS = 60;

    private static void insertOwner(org.jdbi.v3.core.Handle h, String id) {
        h.createUpdate("INSERT INTO owners (id, created_at) VALUES (:id, 0)").bind("id", id).execute();
    }

    private static long owners(CatalogDatabase db, String like) {
        return db.read("test", h -> h.createQuery("SELECT COUNT(*) FROM owners WHERE id LIKE :like")
                .bind("like", like).mapTo(Long.class).one());
    }

    @Test
    void commits_that_arrive_together_share_one_transaction_and_a_failing_one_rolls_back_alone() throws Exception {
        withCommits((db, commits, threads) -> {
            Set<Object> handles = ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger badRuns = new java.util.concurrent.atomic.AtomicInteger();
            List<Callable<Object>> queued = new ArrayList<>();
            for (String id : List.of("a", "b", "bad", "c")) {
                queued.add(() -> commits.commit("test", h -> {
                    handles.add(h);
                    insertOwner(h, "batch-" + id);
                    if (id.equals("bad")) {
                        badRuns.incrementAndGet();
                        throw new IllegalStateException("refused: " + id);
                    }
                    return id;
                }));
            }
            List<Future<Object>> callers = queuedBehindOne(commits, threads, null, h -> {
                insertOwner(h, "first");
                return null;
            }, queued);

            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : callers.subList(1, callers.size())) {
                Throwable failure = catchCause(f);
                outcomes.add(failure == null ? f.resultNow() : failure.getMessage());
            }

            assertThat(outcomes).containsExactly("a", "b", "refused: bad", "c");
            assertThat(owners(db, "batch-%")).isEqualTo(3);
            assertThat(owners(db, "batch-bad")).isZero();
            assertThat(owners(db, "first")).isOne();
            // The four ran once, together: the failing one was rolled back to its savepoint, not the batch re-run.
            assertThat(handles).hasSize(1);
            assertThat(badRuns).hasValue(1);
        });
    }

    @Test
    void when_a_batch_fails_to_commit_each_of_its_commits_runs_again_alone() throws Exception {
        withCommits((db, commits, threads) -> {
            // A deferred foreign key: the dangling row's insert passes, and the batch's COMMIT refuses it.
            db.useTransaction("test", h -> h.execute("CREATE TABLE linked (id INTEGER PRIMARY KEY,"
                    + " parent INTEGER REFERENCES linked (id) DEFERRABLE INITIALLY DEFERRED)"));
            Set<Object> handles = ConcurrentHashMap.newKeySet();
            List<Callable<Object>> queued = new ArrayList<>();
            for (int id : List.of(1, 2, 3)) {
                queued.add(() -> commits.commit("test", h -> {
                    handles.add(h);
                    h.execute("INSERT INTO linked (id, parent) VALUES (?, ?)", id, id == 2 ? 99 : id);
                    return id;
                }));
            }
            List<Future<Object>> callers = queuedBehindOne(commits, threads, null, h -> null, queued);

            assertThat(callers.get(1).get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
            assertKind(catchCause(callers.get(2)), io.stowage.ErrorKind.UNAVAILABLE);
            assertThat(callers.get(3).get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(3);
            List<Integer> stored = db.read("test", h -> h.createQuery("SELECT id FROM linked ORDER BY id")
                    .mapTo(Integer.class).list());
            assertThat(stored).containsExactly(1, 3);
            assertThat(handles).as("one batch, then each alone").hasSize(4);
        });
    }

    @Test
    void a_commit_alone_runs_at_once_on_its_own_callers_thread() {
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            GroupCommits commits = new GroupCommits(db);
            Thread caller = Thread.currentThread();

            Thread ran = commits.commit("test", h -> {
                insertOwner(h, "alone");
                return Thread.currentThread();
            });

            assertThat(ran).isSameAs(caller);
            assertThat(commits.waiting()).isZero();
            assertThat(owners(db, "alone")).isOne();
        }
    }

    @Test
    void deferred_work_shares_a_batch_with_commits_and_a_refused_one_fails_alone() throws Exception {
        withCommits((db, commits, threads) -> {
            String before = durability(db);
            Set<Object> handles = ConcurrentHashMap.newKeySet();
            List<Future<Object>> callers = queuedBehindOne(commits, threads, null, h -> null, List.of(
                    () -> {
                        commits.defer("test", h -> {
                            handles.add(h);
                            insertOwner(h, "pending-1");
                        });
                        return "deferred";
                    },
                    () -> {
                        commits.defer("test", h -> {
                            handles.add(h);
                            insertOwner(h, "pending-refused");
                            throw new IllegalStateException("over quota");
                        });
                        return "refused";
                    },
                    () -> commits.commit("test", h -> {
                        handles.add(h);
                        insertOwner(h, "durable");
                        return "durable";
                    })));

            assertThat(callers.get(1).get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo("deferred");
            assertThat(catchCause(callers.get(2))).hasMessage("over quota");
            assertThat(callers.get(3).get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo("durable");
            assertThat(handles).hasSize(1);
            assertThat(owners(db, "pending-%")).isOne();
            assertThat(owners(db, "durable")).isOne();
            assertThat(durability(db)).as("the writer is left as durable as it was").isEqualTo(before);
        });
    }

    @Test
    void work_committed_on_another_callers_thread_is_audited_with_its_own_callers_context() throws Exception {
        withCommits((db, commits, threads) -> {
            AuditLog audit = new AuditLog();
            Instant at = Instant.now();
            Set<Object> handles = ConcurrentHashMap.newKeySet();
            List<Future<Object>> callers = queuedBehindOne(commits, threads,
                    new CallContext("holder", "req-holder", "10.0.0.1"), h -> {
                        audit.append(h, "o", "test", "t:holder", AuditLog.OK, at);
                        return null;
                    },
                    List.of(() -> new CallContext("admin-1", "req-1", "10.0.0.2").call(() -> commits.commit("test", h -> {
                        handles.add(h);
                        audit.append(h, "ada", "test", "t:1", AuditLog.OK, at);
                        return null;
                    })), () -> commits.commit("test", h -> {
                        // No context: the owner acts, with no correlation id or address.
                        handles.add(h);
                        audit.append(h, "bob", "test", "t:2", AuditLog.OK, at);
                        return null;
                    })));
            for (Future<Object> caller : callers) {
                caller.get(BOUND_SECONDS, TimeUnit.SECONDS);
            }

            assertThat(handles).as("the two committed in one transaction, on one thread").hasSize(1);
            List<AuditEntry> entries = db.read("test", h -> audit.find(h, AuditQuery.all(10), 0, 10));
            assertThat(entries)
                    .extracting(AuditEntry::target, AuditEntry::actor, AuditEntry::correlationId, AuditEntry::clientAddress)
                    .containsExactlyInAnyOrder(tuple("t:holder", "holder", "req-holder", "10.0.0.1"),
                            tuple("t:1", "admin-1", "req-1", "10.0.0.2"), tuple("t:2", "bob", "", ""));
        });
    }

    @Test
    void an_error_thrown_in_a_batch_fails_its_own_caller_and_every_other_caller_still_returns() throws Exception {
        withCommits((db, commits, threads) -> {
            List<Future<Object>> callers = queuedBehindOne(commits, threads, null, h -> {
                        insertOwner(h, "first");
                        return null;
                    },
                    List.of(() -> commits.commit("test", h -> {
                        insertOwner(h, "batch-error");
                        throw new Fatal("out of luck");
                    }), () -> commits.commit("test", h -> {
                        insertOwner(h, "batch-ok");
                        return "ok";
                    })));

            assertThat(callers.get(0).get(BOUND_SECONDS, TimeUnit.SECONDS)).isNull();
            assertThat(catchCause(callers.get(1))).isInstanceOf(Fatal.class).hasMessage("out of luck");
            assertThat(callers.get(2).get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(owners(db, "batch-ok")).isOne();
            assertThat(owners(db, "batch-error")).isZero();
            assertThat(threads.submit(() -> commits.commit("test", h -> "after")).get(BOUND_SECONDS, TimeUnit.SECONDS))
                    .as("the next commit still gets its turn").isEqualTo("after");
        });
    }

    /** An {@link Error}, not an exception: what a save's work may throw (an assertion, a stack overflow). */
    private static final class Fatal extends Error {
        Fatal(String message) {
            super(message);
        }
    }

    /**
     * Commits {@code first} (within {@code context}, when there is one), holding the turn in its work until every one
     * of {@code queued} waits behind it, then lets it go: the queued ones then commit as one batch. Returns the
     * callers' futures, the first's first.
     */
    private static List<Future<Object>> queuedBehindOne(GroupCommits commits, ExecutorService threads,
                                                        CallContext context, HandleCallback<Object, RuntimeException> first,
                                                        List<Callable<Object>> queued) {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.function.Supplier<Object> holder = () -> commits.commit("test", h -> {
            Object result = first.withHandle(h);
            holding.countDown();
            await(release);
            return result;
        });
        List<Future<Object>> callers = new ArrayList<>();
        try {
            callers.add(threads.submit(() -> context == null ? holder.get() : context.call(holder)));
            await(holding);
            for (Callable<Object> call : queued) {
                callers.add(threads.submit(call));
            }
            while (commits.waiting() < queued.size()) {
                Thread.onSpinWait();
            }
        } finally {
            release.countDown();
        }
        return callers;
    }

    private static Throwable catchCause(Future<?> caller) throws Exception {
        try {
            caller.get(BOUND_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** A test of group commits over a catalog of its own, with daemon threads for its callers. */
    @FunctionalInterface
    private interface CommitsTest {
        void run(CatalogDatabase db, GroupCommits commits, ExecutorService threads) throws Exception;
    }

    private void withCommits(CommitsTest test) throws Exception {
        ExecutorService threads = daemonThreads(5);
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            test.run(db, new GroupCommits(db), threads);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Daemon threads: a caller left hanging by a bug fails its test instead of holding the test JVM open. */
    private static ExecutorService daemonThreads(int n) {
        return Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "committer");
            t.setDaemon(true);
            return t;
        });
    }

    @Test
    void a_deferred_commit_is_visible_at_once_and_leaves_the_connection_as_durable_as_it_found_it() {
        try (CatalogDatabase setup = CatalogDatabase.open(settings())) {
            if (setup.postgres()) {
                // The embedded test server runs with synchronous_commit off; a real one runs with it on.
                setup.useTransaction("test", h -> h.execute("DO $$ BEGIN EXECUTE 'ALTER DATABASE ' || current_database()"
                        + " || ' SET synchronous_commit = on'; END $$"));
            }
        }
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            String before = durability(db);

            db.useDeferredTransaction("test", h -> insertOwner(h, "deferred"));

            assertThat(owners(db, "deferred")).isOne();
            assertThat(durability(db)).isEqualTo(before).isIn("2", "on");
        }
    }

    /** SQLite's synchronous level of the writer (2: FULL), or PostgreSQL's synchronous_commit outside a transaction. */
    private static String durability(CatalogDatabase db) {
        return db.inTransaction("test", h -> h.createQuery(db.postgres() ? "SHOW synchronous_commit" : "PRAGMA synchronous")
                .mapTo(String.class).one());
    }

    @Test
    void reads_go_on_while_a_writer_holds_its_transaction_and_see_only_what_is_committed() throws Exception {
        FileRecord saved = save("ada", "a.txt", "a");
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (CatalogDatabase db = CatalogDatabase.open(settings());
             ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<?> writer = threads.submit(() -> db.useTransaction("test", h -> {
                insertOwner(h, "writer");
                writing.countDown();
                await(release);
            }));
            await(writing);

            Future<FileRecord> read = threads.submit(() -> db.read("test",
                    h -> new FileCatalog().find(h, "ada", saved.id(), FileCatalog.ACTIVE).orElseThrow().record()));
            Future<Long> uncommitted = threads.submit(() -> owners(db, "writer"));
            FileRecord seen = read.get(BOUND_SECONDS, TimeUnit.SECONDS);
            long writerRows = uncommitted.get(BOUND_SECONDS, TimeUnit.SECONDS);
            release.countDown();
            writer.get(BOUND_SECONDS, TimeUnit.SECONDS);

            assertThat(seen).isEqualTo(saved);
            assertThat(writerRows).isZero();
            assertThat(owners(db, "writer")).isOne();
        } finally {
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
