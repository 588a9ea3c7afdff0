package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A new file's save commits by inserting its file and version rows (decision 0101); on PostgreSQL those inserts must
 * stay silent, as the pending rows' were: a notifying commit queues behind every other notifying commit of the cluster
 * (decision 0081), and a new file was never any lookup's answer.
 */
class SavesInFlightOnPostgresTest extends ServiceTestBase {

    private static final String END = "test:end";

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Test
    void a_new_files_save_notifies_nothing_while_a_new_version_of_it_does() {
        save("ada", "first.txt", "makes the owner");
        List<String> told;
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            told = db.inStatement("test", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CatalogListener.CHANNEL);
                }
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ids.add(save("ada", "new-" + i + ".txt", "saved while listening " + i).id());
                }
                service.replace("ada", ids.getFirst(), io.stowage.BlobContent.ofUtf8("a new version"),
                        SaveOptions.defaults());
                try (Statement s = c.createStatement()) {
                    // Delivered in commit order: every notice of the saves above comes before it.
                    s.execute("SELECT pg_notify('" + CatalogListener.CHANNEL + "', '" + END + "')");
                }
                List<String> names = new ArrayList<>();
                PGConnection pg = c.unwrap(PGConnection.class);
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
                while (!names.contains(END) && System.nanoTime() < deadline) {
                    PGNotification[] got = pg.getNotifications(1000);
                    for (PGNotification n : got == null ? new PGNotification[0] : got) {
                        names.add(n.getParameter());
                    }
                }
                names.add(0, ids.getFirst());
                return names;
            });
        }

        String replaced = told.removeFirst();
        assertThat(told).as("the end marker arrived").contains(END);
        List<String> files = told.stream().filter(n -> !n.startsWith("hb:") && !n.equals(END)).toList();
        assertThat(files).as("only the replaced file is told of").containsOnly(replaced).isNotEmpty();
    }
}
