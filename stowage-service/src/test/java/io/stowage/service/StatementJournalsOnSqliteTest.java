package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SQLite writer keeps its statement journals in memory (decision 0095): a group commit runs each save in a
 * savepoint, and a savepoint that changes more than a few pages of the file had its journal spilled to a temporary
 * file on disk, written page by page for a rollback that rarely comes.
 */
class StatementJournalsOnSqliteTest extends ServiceTestBase {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    @Test
    void a_savepoint_that_changes_many_pages_writes_no_temporary_file() {
        CatalogDatabase catalog = service.catalog();
        String padding = "x".repeat(2000);
        catalog.useTransaction("test", h -> {
            for (int i = 0; i < 200; i++) {
                h.execute("INSERT INTO owners (id, created_at) VALUES (?, 0)", String.format("owner-%03d-%s", i, padding));
            }
        });

        // As a group commit runs each save (GroupCommits' savepoints are SQLite's SAVEPOINT and RELEASE).
        List<String> open = catalog.inTransaction("test", h -> {
            h.execute("SAVEPOINT save");
            // Every page of the table and its index existed before: each is journalled for the savepoint's rollback.
            h.execute("UPDATE owners SET created_at = created_at + 1 WHERE id LIKE 'owner-%'");
            List<String> files = sqliteTemporaryFiles();
            h.execute("RELEASE save");
            return files;
        });

        assertThat(open).as("SQLite's temporary files open in the savepoint").isEmpty();
        int updated = catalog.read("test", h -> h.createQuery("SELECT COUNT(*) FROM owners WHERE created_at = 1")
                .mapTo(Integer.class).one());
        assertThat(updated).isEqualTo(200);
    }

    /** The files SQLite has open under its temporary names ({@code etilqs_…}, unlinked once opened). */
    private static List<String> sqliteTemporaryFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed since the listing
                }
            }).filter(target -> target.contains("etilqs_")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
