package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The gate in front of a pool (decision 0108), over a stand-in pool that counts what it lends. */
class ConnectionGateTest {

    private final AtomicInteger lent = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    @Test
    void a_borrower_beyond_the_size_times_out_as_the_pool_would_and_gets_one_once_it_is_back() throws SQLException {
        ConnectionGate gate = new ConnectionGate(pool(), "catalog-pool", 1, 50);
        Connection first = gate.open();

        assertThatThrownBy(gate::open).isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("catalog-pool - Connection is not available, request timed out after 50ms");
        assertThat(lent).hasValue(1);

        gate.close(first);
        gate.close(gate.open());
        assertThat(lent).hasValue(0);
    }

    @Test
    void a_borrow_the_pool_refuses_gives_its_turn_back() throws SQLException {
        ConnectionGate gate = new ConnectionGate(pool(), "catalog-pool", 1, 50);
        failures.set(1);

        assertThatThrownBy(gate::open).isInstanceOf(SQLException.class).hasMessage("refused");
        Connection c = gate.open();
        assertThat(lent).hasValue(1);
        gate.close(c);
    }

    @Test
    void an_interrupted_borrower_fails_and_stays_interrupted() throws SQLException {
        ConnectionGate gate = new ConnectionGate(pool(), "catalog-pool", 1, 10_000);
        Connection first = gate.open();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(gate::open).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.interrupted()).isTrue();
        } finally {
            gate.close(first);
        }
    }

    /** A pool that lends stand-in connections, counting those not yet closed, and refuses while failures remain. */
    private DataSource pool() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new SQLException("refused");
                    }
                    lent.incrementAndGet();
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (c, m, a) -> {
                                if (m.getName().equals("close")) {
                                    lent.decrementAndGet();
                                    return null;
                                }
                                throw new UnsupportedOperationException(m.getName());
                            });
                });
    }
}
