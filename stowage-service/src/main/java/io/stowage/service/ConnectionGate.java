package io.stowage.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Lets at most as many threads borrow from a pool as it holds connections; the others wait here, each parked once
 * and woken once by the borrower that gives a connection back (decision 0108).
 *
 * <p>HikariCP's own wait is dear when more threads save than the pool has connections (32 savers on PostgreSQL's ten):
 * a borrower that finds none asks the pool's connection adder for one more (waking that thread, which finds the pool
 * full), then polls a hand-off queue; a borrower giving one back while others wait yields and spins until one of them
 * takes it. That came to about nine {@code futex} calls a save besides a bare put's one or two, and was most of the
 * pool threads' extra system time. Behind the gate the pool always has a connection for whoever gets through, so it
 * never takes that path; what a borrower gets, and how long it may wait ({@code timeoutMillis}, as the pool's own
 * connection timeout), stay the same.
 *
 * <p>Every borrow of the pool must pass here ({@link #open}, or {@link #enter} and {@link #leave} around it), or the
 * pool may have fewer free connections than the gate lets through; a borrower that finds none then waits in the pool,
 * as without the gate. A thread that borrows while holding a connection takes a second permit, as it would take a
 * second connection.
 */
final class ConnectionGate {

    private final DataSource pool;
    private final String name;
    private final Semaphore permits;
    private final int size;
    private final long timeoutMillis;

    /** @param size the pool's connections; {@code timeoutMillis} how long a borrower may wait for one */
    ConnectionGate(DataSource pool, String name, int size, long timeoutMillis) {
        this.pool = pool;
        this.name = name;
        this.size = size;
        // Not fair: a thread that gives a connection back and borrows again at once goes on without a hand-off to a
        // parked one (a switch of threads on a core less); those parked are served in their order.
        this.permits = new Semaphore(size);
        this.timeoutMillis = timeoutMillis;
    }

    /** A connection of the pool, once one is free; {@link #close} gives it back. */
    Connection open() throws SQLException {
        enter();
        try {
            return pool.getConnection();
        } catch (SQLException | RuntimeException | Error e) {
            leave();
            throw e;
        }
    }

    /** Gives back a connection {@link #open} lent. */
    void close(Connection c) throws SQLException {
        try {
            c.close();
        } finally {
            leave();
        }
    }

    /** Waits for a turn to borrow, up to the timeout; each turn taken must end with {@link #leave}. */
    void enter() throws SQLException {
        boolean entered;
        try {
            entered = permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException(name + " - interrupted while waiting for a connection", e);
        }
        if (!entered) {
            // As the pool's own timeout reads, so a failure reads the same with or without the gate.
            throw new SQLTransientConnectionException(name + " - Connection is not available, request timed out after "
                    + timeoutMillis + "ms (total=" + size + ", waiting=" + permits.getQueueLength() + ")");
        }
    }

    /** Ends a turn {@link #enter} began, once its connection is back in the pool. */
    void leave() {
        permits.release();
    }

    /** How many threads wait here for a connection (tests). */
    int waiting() {
        return permits.getQueueLength();
    }

    /** How many more may borrow at once (tests). */
    int free() {
        return permits.availablePermits();
    }

    /** A JDBI connection factory whose handles borrow through this gate. */
    org.jdbi.v3.core.ConnectionFactory connections() {
        return new org.jdbi.v3.core.ConnectionFactory() {
            @Override
            public Connection openConnection() throws SQLException {
                return open();
            }

            @Override
            public void closeConnection(Connection toClose) throws SQLException {
                close(toClose);
            }
        };
    }
}
