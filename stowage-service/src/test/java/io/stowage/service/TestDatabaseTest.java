package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL databases made for tests are dropped once the tests are done, even with a connection left open. */
class TestDatabaseTest {

    @TempDir
    Path home;

    static Connection connect(Map<String, String> settings) throws SQLException {
        return DriverManager.getConnection(settings.get("STOWAGE_DATABASE_URL"), settings.get("STOWAGE_DATABASE_USER"),
                settings.get("STOWAGE_DATABASE_PASSWORD"));
    }

    static boolean exists(String db) throws SQLException {
        try (Connection c = TestDatabase.Server.get().getPostgresDatabase().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = '" + db + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    @Test
    void every_database_made_so_far_is_dropped_and_a_connection_left_open_is_ended() throws SQLException {
        Map<String, String> first = TestDatabase.POSTGRES.settings(home.resolve("a"));
        Map<String, String> second = TestDatabase.POSTGRES.settings(home.resolve("b"));
        String firstDb = first.get("STOWAGE_DATABASE_URL").substring(first.get("STOWAGE_DATABASE_URL").lastIndexOf('/') + 1);
        String secondDb = second.get("STOWAGE_DATABASE_URL").substring(second.get("STOWAGE_DATABASE_URL").lastIndexOf('/') + 1);

        try (Connection leftOpen = connect(first)) {
            assertThat(exists(firstDb)).isTrue();
            assertThat(exists(secondDb)).isTrue();

            TestDatabase.dropDatabases();

            assertThat(exists(firstDb)).isFalse();
            assertThat(exists(secondDb)).isFalse();
            assertThat(catchThrowable(() -> leftOpen.createStatement().execute("SELECT 1"))).isInstanceOf(SQLException.class);
        }
        TestDatabase.dropDatabases(); // nothing left to drop
        assertThat(TestDatabase.SQLITE.settings(home)).doesNotContainKey("STOWAGE_DATABASE_URL");
    }
}
