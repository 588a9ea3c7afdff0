package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How PostgreSQL runs the commit statement of a pending version (a replace's; decision 0097): it finds the pending
 * version by its primary key. In a
 * catalog of many committed versions and a few pending ones, PostgreSQL's statistics make {@code state = 'pending'}
 * rare, and a lookup by id and that state was planned through {@code versions_by_state}: every commit then read every
 * pending entry of that index (and each one's row) to find its own version by id.
 */
class SaveCommitPlanOnPostgresTest extends ServiceTestBase {

    private static final int COMMITTED = 20_000;
    private static final int PENDING = 8;

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Test
    void the_commit_finds_its_pending_version_by_the_primary_key() {
        save("ada", "first.txt", "makes the owner");
        List<String> plan;
        try (CatalogDatabase db = CatalogDatabase.open(settings())) {
            plan = db.inStatement("test", c -> {
                try (Statement s = c.createStatement()) {
                    // A catalog as a busy service has it: many committed versions, a few saves in flight, analyzed.
                    s.execute("INSERT INTO files (id, owner_id, name, state, versions_created, created_at, updated_at)"
                            + " SELECT 'f' || n, 'ada', 'bulk-' || n, 'active', 1, 1, 1 FROM generate_series(1, "
                            + COMMITTED + ") n");
                    s.execute("INSERT INTO versions (id, file_id, seq, state, blob_key, size, content_type, metadata,"
                            + " created_at, committed_at) SELECT 'v' || n, 'f' || n, 1, 'committed', 'ada/2026/12/f' || n,"
                            + " 4, 'text/plain', '{}', n, n FROM generate_series(1, " + COMMITTED + ") n");
                    // Analyzed as autovacuum finds a catalog between saves: every version committed.
                    s.execute("ANALYZE versions");
                }
                Instant now = Instant.now();
                List<String> versions = new ArrayList<>();
                for (int i = 0; i < PENDING; i++) {
                    // New versions of files in flight (a new file's save has no version row until it commits,
                    // decision 0101; a replace still writes a pending version).
                    String fileId = "f" + (i + 1);
                    String versionId = Ids.next(now.toEpochMilli());
                    assertThat(Jdbc.update(c, "INSERT INTO versions (id, file_id, seq, state, blob_key, content_type,"
                            + " metadata, created_at, reserved_bytes) VALUES (?, ?, 2, 'pending', ?, 'text/plain', '{}', ?,"
                            + " 4)", versionId, fileId, "ada/2026/12/" + fileId + "/" + versionId, now.toEpochMilli()))
                            .isOne();
                    versions.add(fileId + "/" + versionId);
                }
                String[] ids = versions.get(PENDING / 2).split("/");
                BlobInfo stored = BlobInfo.builder(BlobKey.of("ada/2026/12/" + ids[0] + "/" + ids[1])).size(4)
                        .contentType("text/plain").backend("local").build();
                Object[] args = PostgresSaves.commitArgs("ada", ids[0], ids[1], stored.key().value(), stored, List.of(),
                        now, AuditLog.values("ada", "file.save", "file:" + ids[0], AuditLog.OK, now),
                        EventOutbox.values(FileEvent.SAVED, "ada", ids[0], Map.of("version", "1"), now));
                List<String> lines = new ArrayList<>();
                try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + PostgresSaves.commitSql(0))) {
                    for (int i = 0; i < args.length; i++) {
                        if (args[i] == null) {
                            explain.setNull(i + 1, java.sql.Types.VARCHAR);
                        } else {
                            explain.setObject(i + 1, args[i]);
                        }
                    }
                    try (ResultSet rs = explain.executeQuery()) {
                        while (rs.next()) {
                            lines.add(rs.getString(1));
                        }
                    }
                }
                return lines;
            });
        }

        String text = String.join("\n", plan);
        assertThat(text).as(text).doesNotContain("versions_by_state");
        // The pending version's row, locked for the commit: read through the primary key, one entry.
        assertThat(plan).as(text).anySatisfy(line -> assertThat(line).contains("Index Scan using versions_pkey on versions "));
    }
}
