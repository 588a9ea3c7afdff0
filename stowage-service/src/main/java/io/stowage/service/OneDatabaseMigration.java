package io.stowage.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A migration whose statements run on one of the two databases only (trigger syntax differs between them); on the
 * other it is recorded as applied and does nothing. Its checksum is that of its statements.
 */
abstract class OneDatabaseMigration implements JavaMigration {

    private final String version;
    private final String description;
    private final String product;
    private final List<String> statements;

    /** @param product a word of the database's product name, in lower case: {@code sqlite} or {@code postgres} */
    OneDatabaseMigration(String version, String description, String product, List<String> statements) {
        this.version = version;
        this.description = description;
        this.product = product;
        this.statements = List.copyOf(statements);
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(version);
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return String.join("\n", statements).hashCode();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains(product)) {
            return;
        }
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
