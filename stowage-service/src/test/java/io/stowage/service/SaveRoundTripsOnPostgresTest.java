package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * What a save costs a PostgreSQL catalog in round trips (decision 0078): the pending rows and the commit, one each,
 * and the owner's quota when the read cache does not keep it (decision 0090). Counted as the driver's {@code Sync} messages (one ends each exchange with the server) sent from
 * the saving thread, from the driver's own trace log.
 */
class SaveRoundTripsOnPostgresTest extends ServiceTestBase {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Test
    void a_save_of_a_known_owner_takes_two_round_trips_to_the_catalog() {
        // The read cache keeps what it reads once it has heard from PostgreSQL.
        ReadCacheOnPostgresTest.cache(service).awaitHeartbeat();

        assertThat(fewestRoundTripsOfASave()).isEqualTo(2);
    }

    @Test
    void without_a_read_cache_the_owners_quota_is_a_third() {
        service.close();
        java.util.Map<String, String> env = new java.util.HashMap<>(settingsMap());
        env.put("STOWAGE_DATABASE_READ_WINDOW", "0");
        service = StorageService.open(settingsOf(env, home), store);

        assertThat(fewestRoundTripsOfASave()).isEqualTo(3);
    }

    private int fewestRoundTripsOfASave() {
        save("ada", "first.txt", "makes the owner and warms the connection");

        // The least of a few saves: the pool may check a connection it lent a while ago, one exchange more.
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            int n = i;
            fewest = Math.min(fewest, roundTrips(() -> save("ada", "file-" + n + ".txt", "four bytes or more")));
        }

        assertThat(service.list("ada", "", "", 10).files()).hasSize(4);
        assertThat(service.usage("ada").files()).isEqualTo(4);
        return fewest;
    }

    /** The driver's exchanges with the server while {@code action} runs on this thread. */
    private static int roundTrips(Runnable action) {
        Logger driver = Logger.getLogger("org.postgresql");
        Level was = driver.getLevel();
        long thread = Thread.currentThread().threadId();
        AtomicInteger syncs = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLongThreadID() == thread && " FE=> Sync".equals(record.getMessage())) {
                    syncs.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        counter.setLevel(Level.ALL);
        driver.addHandler(counter);
        driver.setLevel(Level.FINEST);
        try {
            action.run();
        } finally {
            driver.setLevel(was);
            driver.removeHandler(counter);
        }
        return syncs.get();
    }
}
