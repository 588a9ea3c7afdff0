package io.stowage.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server for a benchmark script's {@code stowage serve}: the tests' embedded server, durable as a
 * real one (synchronous_commit and fsync on), with an empty database {@code stowage}. Prints the JDBC URL on one
 * line, then runs until its standard input closes or it is stopped (its shutdown hook stops the server).
 *
 * <p>Run by {@code bench/mixed-load}; no arguments.
 */
public final class BenchPostgres {

    private BenchPostgres() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on").start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
        }));
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE stowage");
        }
        System.out.println("jdbc:postgresql://localhost:" + postgres.getPort() + "/stowage");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the script closes our input
        }
        System.exit(0);
    }
}
