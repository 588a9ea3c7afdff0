package io.stowage.service;

import io.stowage.Tier;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of files, versions, locations and usage counters, one statement per method, each run on
 * the caller's handle so the caller decides what is one transaction. Plain SQL that both SQLite and
 * PostgreSQL accept; nothing here knows which one it talks to.
 */
final class FileCatalog {

    static final String PENDING = "pending";
    /** The number of a file's first version. */
    static final int FIRST_VERSION = 1;
    static final String ACTIVE = "active";
    static final String TRASHED = "trashed";
    static final String PURGING = "purging";
    static final String COMMITTED = "committed";

    static final String ENTRY_COLUMNS = "f.id, f.owner_id, f.name, f.tier, f.segment, f.created_at,"
            + " v.id AS version_id, v.seq,"
            + " v.size, v.sha256, v.content_type, v.metadata, v.committed_at, v.blob_key,"
            + " (SELECT l.backend FROM locations l WHERE l.version_id = v.id ORDER BY l.stored_at, l.backend LIMIT 1)"
            + " AS backend";

    private static final String FIND_FROM = " FROM files f JOIN versions v ON v.id = f.current_version_id";
    static final String FIND_SQL = "SELECT " + ENTRY_COLUMNS + FIND_FROM
            + " WHERE f.id = ? AND f.owner_id = ? AND f.state = ?";

    /** A file's current version as the catalog holds it: the record, and the key of its object. */
    record Entry(FileRecord record, String blobKey) {
    }

    /** A version with the key of its object, for purges and sweeps. */
    record StoredVersion(String id, String fileId, String ownerId, String blobKey, String state, long size) {
    }

    void ensureOwner(Handle h, String owner, Instant now) {
        Jdbc.update(h, "INSERT INTO owners (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", owner,
                now.toEpochMilli());
        Jdbc.update(h, "INSERT INTO usage_counters (owner_id) VALUES (?) ON CONFLICT (owner_id) DO NOTHING", owner);
    }

    void insertPendingFile(Handle h, String fileId, String owner, String name, Tier tier, String segment,
                           Instant now) {
        insertPendingFile(h, fileId, owner, name, tier, segment, now, 0);
    }

    /**
     * A new pending file that has already numbered {@code versionsCreated} versions: a save that inserts its first
     * version at once passes 1 and numbers it {@link #FIRST_VERSION}, without {@link #nextVersionNumber}'s two
     * statements (the row is new, so no other transaction can number a version of it meanwhile).
     */
    void insertPendingFile(Handle h, String fileId, String owner, String name, Tier tier, String segment,
                           Instant now, int versionsCreated) {
        Jdbc.update(h, "INSERT INTO files (id, owner_id, name, state, tier, segment, versions_created, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", fileId, owner, name, PENDING, tier.name(), segment,
                versionsCreated, now.toEpochMilli(), now.toEpochMilli());
    }

    /** The next version number of {@code fileId}; the update locks the file's row until the transaction ends. */
    int nextVersionNumber(Handle h, String fileId) {
        h.createUpdate("UPDATE files SET versions_created = versions_created + 1 WHERE id = :id")
                .bind("id", fileId).execute();
        return h.createQuery("SELECT versions_created FROM files WHERE id = :id")
                .bind("id", fileId).mapTo(Integer.class).one();
    }

    void insertPendingVersion(Handle h, String versionId, String fileId, int number, String blobKey,
                              SaveOptions options, Instant now) {
        insertPendingVersion(h, versionId, fileId, number, blobKey, options, now, 0, 0);
    }

    /**
     * A pending version that already holds the reservation of {@code reservedBytes} and {@code reservedFiles}: for a
     * caller that has just reserved them on the owner's counters in the same transaction
     * ({@link QuotaCatalog#reserveCounters}), so the row needs no update of its own.
     */
    void insertPendingVersion(Handle h, String versionId, String fileId, int number, String blobKey,
                              SaveOptions options, Instant now, long reservedBytes, int reservedFiles) {
        Jdbc.update(h, "INSERT INTO versions (id, file_id, seq, state, blob_key, content_type, metadata, created_at,"
                + " reserved_bytes, reserved_files) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", versionId, fileId, number,
                PENDING, blobKey, options.contentType(), Json.write(options.metadata()), now.toEpochMilli(), reservedBytes,
                reservedFiles);
    }

    /**
     * Commits a stored version: its size and checksum, where it is, the file's current version, the
     * owner's usage (its reservation turned into usage).
     *
     * @return false when the file is gone meanwhile (purged) or the sweep took the version for abandoned;
     *     nothing was committed then
     */
    boolean commitVersion(Handle h, String owner, String fileId, String versionId, long size, String sha256,
                          String backend, String blobKey, Instant now) {
        return commitVersionNumbered(h, owner, fileId, versionId, size, sha256, backend, blobKey, now) > 0;
    }

    /**
     * As {@link #commitVersion}, in plain JDBC (five statements, the hot path of every save, decision 0068), returning
     * the version's number; 0 when nothing was committed.
     */
    int commitVersionNumbered(Handle h, String owner, String fileId, String versionId, long size, String sha256,
                              String backend, String blobKey, Instant now) {
        Reserved reserved = reserved(h, versionId);
        int versions = Jdbc.update(h, "UPDATE versions SET state = ?, size = ?, sha256 = ?, committed_at = ?,"
                + " reserved_bytes = 0, reserved_files = 0 WHERE id = ? AND state = ?", COMMITTED, size, sha256,
                now.toEpochMilli(), versionId, PENDING);
        if (versions == 0) {
            return 0;
        }
        int files = Jdbc.update(h, "UPDATE files SET state = ?, current_version_id = ?, updated_at = ?"
                + " WHERE id = ? AND state IN (?, ?)", ACTIVE, versionId, now.toEpochMilli(), fileId, PENDING, ACTIVE);
        if (files == 0) {
            // Being purged: throwing rolls the version back to pending, for the purge to remove.
            throw Guards.fileNotFound(fileId);
        }
        Jdbc.update(h, "INSERT INTO locations (version_id, backend, blob_key, stored_at) VALUES (?, ?, ?, ?)",
                versionId, backend, blobKey, now.toEpochMilli());
        Jdbc.update(h, "UPDATE usage_counters SET bytes = bytes + ?, files = files + ?, reserved_bytes = reserved_bytes - ?,"
                + " reserved_files = reserved_files - ? WHERE owner_id = ?", size, reserved.files(), reserved.bytes(),
                reserved.files(), owner);
        return reserved.seq();
    }

    /**
     * Removes a pending version whose object is known not to exist, releasing its reservation, and its file
     * when it was the file's first.
     */
    void removePending(Handle h, String owner, String fileId, String versionId) {
        Reserved reserved = reserved(h, versionId);
        int removed = h.createUpdate("DELETE FROM versions WHERE id = :id AND state = :pending")
                .bind("id", versionId).bind("pending", PENDING).execute();
        if (removed == 1) {
            h.createUpdate("UPDATE usage_counters SET reserved_bytes = reserved_bytes - :bytes,"
                            + " reserved_files = reserved_files - :files WHERE owner_id = :owner")
                    .bind("bytes", reserved.bytes()).bind("files", reserved.files()).bind("owner", owner).execute();
        }
        h.createUpdate("DELETE FROM files WHERE id = :id AND state = :pending AND NOT EXISTS"
                        + " (SELECT 1 FROM versions v WHERE v.file_id = :id)")
                .bind("id", fileId).bind("pending", PENDING).execute();
    }

    /**
     * A new file's save in flight (decision 0101): the row that names its object and holds its reservation of
     * {@code reservedBytes} and {@code reservedFiles}, which the caller has just made on the owner's counters in the
     * same transaction. No file or version row is written before the commit.
     */
    void insertInFlight(Handle h, String versionId, String fileId, String owner, String blobKey, Instant now,
                        long reservedBytes, int reservedFiles) {
        Jdbc.update(h, "INSERT INTO " + SavesInFlight.TABLE + " (version_id, file_id, owner_id, blob_key,"
                + " reserved_bytes, reserved_files, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", versionId, fileId, owner, blobKey,
                reservedBytes, reservedFiles, now.toEpochMilli());
    }

    /** The statement that ends a save in flight, returning what it had reserved (both databases run it). */
    static final String END_IN_FLIGHT = "DELETE FROM " + SavesInFlight.TABLE + " WHERE version_id = ?"
            + " RETURNING reserved_bytes, reserved_files";

    /**
     * The file row a new file's commit inserts: {@link #newFileArgs}' values, then its owner and its state, active. The
     * statements bind the first and put the last two themselves.
     */
    static final String NEW_FILE_COLUMNS = "id, name, current_version_id, tier, segment, versions_created, created_at,"
            + " updated_at, owner_id, state";
    /** Its first version's row: {@link #newVersionArgs}' values, then its file, its number and its state, committed. */
    static final String NEW_VERSION_COLUMNS = "id, blob_key, size, sha256, content_type, metadata, created_at,"
            + " committed_at, file_id, seq, state";

    /** The values of {@link #NEW_FILE_COLUMNS} but the last two. */
    static Object[] newFileArgs(String fileId, String name, String versionId, Tier tier, String segment, Instant created,
                                Instant now) {
        return new Object[] {fileId, name, versionId, tier.name(), segment, FIRST_VERSION, created.toEpochMilli(),
                now.toEpochMilli()};
    }

    /** The values of {@link #NEW_VERSION_COLUMNS} but the last three. */
    static Object[] newVersionArgs(String versionId, String blobKey, long size, String sha256, SaveOptions options,
                                   Instant versionCreated, Instant now) {
        return new Object[] {versionId, blobKey, size, sha256, options.contentType(), Json.write(options.metadata()),
                versionCreated.toEpochMilli(), now.toEpochMilli()};
    }

    /**
     * Commits a new file's save in flight, on SQLite's group commit (PostgreSQL runs {@link PostgresSaves#commitNew}):
     * its row ended, the file and its first version written once, active and committed, where it is, and the
     * reservation turned into usage.
     *
     * @return false, having written nothing, when the row is gone: the sweep took it for abandoned, or the owner is
     *     being erased
     */
    boolean commitNewFile(Handle h, String owner, String fileId, String name, Tier tier, String segment, Instant created,
                          String versionId, String blobKey, SaveOptions options, Instant versionCreated, long size,
                          String sha256, String backend, Instant now) {
        Optional<Reserved> reserved = endInFlight(h, versionId);
        if (reserved.isEmpty()) {
            return false;
        }
        Jdbc.update(h, "INSERT INTO files (" + NEW_FILE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '" + ACTIVE
                + "')", followedBy(newFileArgs(fileId, name, versionId, tier, segment, created, now), owner));
        Jdbc.update(h, "INSERT INTO versions (" + NEW_VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + FIRST_VERSION + ", '" + COMMITTED + "')",
                followedBy(newVersionArgs(versionId, blobKey, size, sha256, options, versionCreated, now), fileId));
        Jdbc.update(h, "INSERT INTO locations (version_id, backend, blob_key, stored_at) VALUES (?, ?, ?, ?)",
                versionId, backend, blobKey, now.toEpochMilli());
        Jdbc.update(h, "UPDATE usage_counters SET bytes = bytes + ?, files = files + ?,"
                + " reserved_bytes = reserved_bytes - ?, reserved_files = reserved_files - ? WHERE owner_id = ?", size,
                reserved.get().files(), reserved.get().bytes(), reserved.get().files(), owner);
        return true;
    }

    private static Object[] followedBy(Object[] args, Object last) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    /**
     * Ends a new file's save in flight whose object is known not to exist, releasing its reservation; nothing when the
     * row is gone already.
     */
    void removeInFlight(Handle h, String owner, String versionId) {
        endInFlight(h, versionId).ifPresent(reserved -> Jdbc.update(h, "UPDATE usage_counters"
                + " SET reserved_bytes = reserved_bytes - ?, reserved_files = reserved_files - ? WHERE owner_id = ?",
                reserved.bytes(), reserved.files(), owner));
    }

    /** Deletes the row of the save in flight {@code versionId}; what it had reserved, empty when it was gone. */
    private static Optional<Reserved> endInFlight(Handle h, String versionId) {
        return Jdbc.first(h, END_IN_FLIGHT, rs -> new Reserved(rs.getLong(1), rs.getInt(2), FIRST_VERSION), versionId);
    }

    /** Saves of new files in flight since before {@code before}: crashed, or still streaming. */
    List<StoredVersion> inFlight(Handle h, Instant before) {
        return Jdbc.list(h, "SELECT version_id, file_id, owner_id, blob_key FROM " + SavesInFlight.TABLE
                        + " WHERE created_at < ? ORDER BY created_at",
                rs -> new StoredVersion(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), PENDING, 0),
                before.toEpochMilli());
    }

    /** What a version holds reserved, and its number. */
    private record Reserved(long bytes, int files, int seq) {
    }

    private static Reserved reserved(Handle h, String versionId) {
        return Jdbc.first(h, "SELECT reserved_bytes, reserved_files, seq FROM versions WHERE id = ?",
                rs -> new Reserved(rs.getLong(1), rs.getInt(2), rs.getInt(3)), versionId).orElse(new Reserved(0, 0, 0));
    }

    /** What {@code owner} has reserved for uploads in flight (zero when none is). */
    long reservedBytes(Handle h, String owner) {
        return h.createQuery("SELECT reserved_bytes FROM usage_counters WHERE owner_id = :owner")
                .bind("owner", owner).mapTo(Long.class).findOne().orElse(0L);
    }

    /** The file with its current version, when {@code owner} has it in {@code state}. */
    Optional<Entry> find(Handle h, String owner, String fileId, String state) {
        return h.createQuery("SELECT " + ENTRY_COLUMNS + FIND_FROM + " WHERE f.id = :id AND f.owner_id = :owner"
                        + " AND f.state = :state")
                .bind("id", fileId).bind("owner", owner).bind("state", state)
                .map((rs, ctx) -> entry(rs)).findOne();
    }

    /** As {@link #find(Handle, String, String, String)}, in plain JDBC on {@code c} (decision 0057). */
    Optional<Entry> find(java.sql.Connection c, String owner, String fileId, String state) throws SQLException {
        return Jdbc.first(c, FIND_SQL, FileCatalog::entry, fileId, owner, state);
    }

    /** The file, active, with its committed version {@code versionId} in place of its current one. */
    Optional<Entry> findVersion(Handle h, String owner, String fileId, String versionId) {
        return h.createQuery("SELECT " + ENTRY_COLUMNS + " FROM files f JOIN versions v ON v.file_id = f.id"
                        + " WHERE f.id = :id AND f.owner_id = :owner AND f.state = :active AND v.id = :version"
                        + " AND v.state = :committed")
                .bind("id", fileId).bind("owner", owner).bind("active", ACTIVE).bind("version", versionId)
                .bind("committed", COMMITTED).map((rs, ctx) -> entry(rs)).findOne();
    }

    /**
     * Up to {@code limit} files of {@code owner} in {@code state} whose name starts with {@code prefix}, in
     * {@code segment} when it is present, after the cursor.
     */
    List<Entry> list(Handle h, String owner, String state, String prefix, Optional<String> segment,
                     Optional<ListCursor> after, int limit) {
        var q = h.createQuery(listSql(!prefix.isEmpty(), segment.isPresent(), after.isPresent()))
                .bind("owner", owner).bind("active", state).bind("limit", limit);
        segment.ifPresent(s -> q.bind("segment", s));
        if (!prefix.isEmpty()) {
            q.bind("prefix", prefix).bind("chars", prefix.codePointCount(0, prefix.length()));
        }
        after.ifPresent(c -> q.bind("afterName", c.name()).bind("afterId", c.id()));
        return q.map((rs, ctx) -> entry(rs)).list();
    }

    /** The SQL of {@link #list}, with the conditions it needs. */
    static String listSql(boolean prefix, boolean segment, boolean after) {
        StringBuilder sql = new StringBuilder("SELECT " + ENTRY_COLUMNS
                + " FROM files f JOIN versions v ON v.id = f.current_version_id"
                + " WHERE f.owner_id = :owner AND f.state = :active");
        // files_by_owner_segment_name serves this one, files_by_owner_name the listing of every segment.
        if (segment) {
            sql.append(" AND f.segment = :segment");
        }
        if (prefix) {
            // The range bound lets the index serve the scan; substr makes the match exact in both databases.
            sql.append(" AND f.name >= :prefix AND substr(f.name, 1, :chars) = :prefix");
        }
        if (after) {
            sql.append(" AND (f.name > :afterName OR (f.name = :afterName AND f.id > :afterId))");
        }
        return sql.append(" ORDER BY f.name, f.id LIMIT :limit").toString();
    }

    /** The committed versions of a file, newest first. */
    List<VersionRecord> versions(Handle h, String fileId) {
        return h.createQuery("SELECT v.id, v.seq, v.size, v.sha256, v.content_type, v.metadata, v.committed_at,"
                        + " CASE WHEN v.id = f.current_version_id THEN 1 ELSE 0 END AS is_current,"
                        + " (SELECT l.backend FROM locations l WHERE l.version_id = v.id ORDER BY l.stored_at, l.backend"
                        + " LIMIT 1) AS backend"
                        + " FROM versions v JOIN files f ON f.id = v.file_id"
                        + " WHERE v.file_id = :id AND v.state = :committed ORDER BY v.seq DESC")
                .bind("id", fileId).bind("committed", COMMITTED)
                .map((rs, ctx) -> new VersionRecord(rs.getString("id"), rs.getInt("seq"), rs.getLong("size"),
                        rs.getString("sha256"), rs.getString("content_type"), Json.read(rs.getString("metadata")),
                        Instant.ofEpochMilli(rs.getLong("committed_at")), rs.getInt("is_current") == 1,
                        nonNull(rs.getString("backend"))))
                .list();
    }

    /** Moves {@code owner}'s file from one state to another; false when it is not in {@code from}. */
    boolean changeState(Handle h, String owner, String fileId, String from, String to, Instant now) {
        return h.createUpdate("UPDATE files SET state = :to, deleted_at = :deleted, updated_at = :now"
                        + " WHERE id = :id AND owner_id = :owner AND state = :from")
                .bind("to", to).bind("deleted", TRASHED.equals(to) || PURGING.equals(to) ? now.toEpochMilli() : null)
                .bind("now", now.toEpochMilli()).bind("id", fileId).bind("owner", owner).bind("from", from)
                .execute() == 1;
    }

    /** Every version of a file (pending ones too), each with the key of its object. */
    List<StoredVersion> storedVersions(Handle h, String fileId) {
        return h.createQuery("SELECT v.id, v.file_id, f.owner_id, v.blob_key, v.state, COALESCE(v.size, 0) AS size"
                        + " FROM versions v JOIN files f ON f.id = v.file_id WHERE v.file_id = :id ORDER BY v.seq")
                .bind("id", fileId).map((rs, ctx) -> storedVersion(rs)).list();
    }

    /**
     * Pending versions older than {@code before}: saves that crashed or are still streaming. A direct upload's
     * version is its session's, which removes it when the session expires (decision 0051).
     */
    List<StoredVersion> pendingVersions(Handle h, Instant before) {
        return h.createQuery("SELECT v.id, v.file_id, f.owner_id, v.blob_key, v.state, 0 AS size"
                        + " FROM versions v JOIN files f ON f.id = v.file_id"
                        + " WHERE v.state = :pending AND v.created_at < :before"
                        + " AND NOT EXISTS (SELECT 1 FROM direct_uploads d WHERE d.version_id = v.id)"
                        + " ORDER BY v.created_at")
                .bind("pending", PENDING).bind("before", before.toEpochMilli())
                .map((rs, ctx) -> storedVersion(rs)).list();
    }

    /** Deletes a purged file's rows and takes its committed bytes off the owner's usage. */
    void deleteFile(Handle h, String owner, String fileId) {
        long bytes = h.createQuery("SELECT COALESCE(SUM(size), 0) FROM versions WHERE file_id = :id AND state = :committed")
                .bind("id", fileId).bind("committed", COMMITTED).mapTo(Long.class).one();
        boolean counted = h.createQuery("SELECT COUNT(*) FROM versions WHERE file_id = :id AND state = :committed")
                .bind("id", fileId).bind("committed", COMMITTED).mapTo(Long.class).one() > 0;
        h.createUpdate("DELETE FROM locations WHERE version_id IN (SELECT id FROM versions WHERE file_id = :id)")
                .bind("id", fileId).execute();
        h.createUpdate("DELETE FROM versions WHERE file_id = :id").bind("id", fileId).execute();
        h.createUpdate("DELETE FROM files WHERE id = :id").bind("id", fileId).execute();
        h.createUpdate("UPDATE usage_counters SET bytes = bytes - :bytes, files = files - :files WHERE owner_id = :owner")
                .bind("bytes", bytes).bind("files", counted ? 1 : 0).bind("owner", owner).execute();
    }

    /** Replaces the user metadata of a file's current version (the catalog's copy; the object stays as stored). */
    void setMetadata(Handle h, String versionId, Map<String, String> metadata) {
        h.createUpdate("UPDATE versions SET metadata = :meta WHERE id = :id")
                .bind("meta", Json.write(metadata)).bind("id", versionId).execute();
    }

    /** Gives a file a new (cleaned) name. */
    void rename(Handle h, String fileId, String name, Instant now) {
        h.createUpdate("UPDATE files SET name = :name, updated_at = :now WHERE id = :id")
                .bind("name", name).bind("now", now.toEpochMilli()).bind("id", fileId).execute();
    }

    /** Records that a file's versions were moved to {@code tier}. */
    void setTier(Handle h, String fileId, String tier, Instant now) {
        h.createUpdate("UPDATE files SET tier = :tier, updated_at = :now WHERE id = :id")
                .bind("tier", tier).bind("now", now.toEpochMilli()).bind("id", fileId).execute();
    }

    /** Records that a version now lives on {@code backend} alone (a tier move took it there). */
    void relocate(Handle h, String versionId, String backend, String blobKey, Instant now) {
        h.createUpdate("DELETE FROM locations WHERE version_id = :v").bind("v", versionId).execute();
        h.createUpdate("INSERT INTO locations (version_id, backend, blob_key, stored_at) VALUES (:v, :b, :k, :now)")
                .bind("v", versionId).bind("b", backend).bind("k", blobKey).bind("now", now.toEpochMilli()).execute();
    }

    /** Records one more copy of a version (a mirror replica), unless it is recorded already. */
    void addLocation(Handle h, String versionId, String backend, String blobKey, Instant at) {
        Jdbc.update(h, "INSERT INTO locations (version_id, backend, blob_key, stored_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (version_id, backend) DO NOTHING", versionId, backend, blobKey, at.toEpochMilli());
    }

    /**
     * Hides every file of {@code owner}, in whatever state, as being purged, and ends its saves in flight; returns the
     * files' ids.
     */
    List<String> markOwnerPurging(Handle h, String owner, Instant now) {
        // Its saves of new files in flight end here: their commits then write nothing (their objects, under the
        // owner's prefix, go with the rest).
        Jdbc.update(h, "DELETE FROM " + SavesInFlight.TABLE + " WHERE owner_id = ?", owner);
        h.createUpdate("UPDATE files SET state = :purging, deleted_at = :now, updated_at = :now WHERE owner_id = :owner")
                .bind("purging", PURGING).bind("now", now.toEpochMilli()).bind("owner", owner).execute();
        return h.createQuery("SELECT id FROM files WHERE owner_id = :owner ORDER BY id")
                .bind("owner", owner).mapTo(String.class).list();
    }

    /** Files and bytes per owner, from the usage counters. */
    Map<String, Totals> totalsByOwner(Handle h) {
        Map<String, Totals> out = new java.util.TreeMap<>();
        h.createQuery("SELECT owner_id, files, bytes FROM usage_counters WHERE files > 0 OR bytes > 0")
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Totals(rs.getLong(2), rs.getLong(3))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Files (with a version there) and bytes of committed versions per backend that holds them. */
    Map<String, Totals> totalsByBackend(Handle h) {
        Map<String, Totals> out = new java.util.TreeMap<>();
        h.createQuery("SELECT l.backend, COUNT(DISTINCT v.file_id), COALESCE(SUM(v.size), 0) FROM locations l"
                        + " JOIN versions v ON v.id = l.version_id WHERE v.state = :committed GROUP BY l.backend")
                .bind("committed", COMMITTED)
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Totals(rs.getLong(2), rs.getLong(3))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Files and bytes of committed versions per tier of their file, as {@link #totalsByBackend} counts them. */
    Map<Tier, Totals> totalsByTier(Handle h) {
        Map<Tier, Totals> out = new java.util.EnumMap<>(Tier.class);
        totalsByFileColumn(h, "tier", Tier.HOT.name()).forEach((tier, totals) -> out.put(Tier.parse(tier), totals));
        return out;
    }

    /** Files and bytes of committed versions per segment, files in none under {@code ""}. */
    Map<String, Totals> totalsBySegment(Handle h) {
        return totalsByFileColumn(h, "segment", "");
    }

    private static Map<String, Totals> totalsByFileColumn(Handle h, String column, String otherwise) {
        Map<String, Totals> out = new java.util.TreeMap<>();
        h.createQuery("SELECT COALESCE(f." + column + ", :otherwise), COUNT(DISTINCT f.id), COALESCE(SUM(v.size), 0)"
                        + " FROM files f JOIN versions v ON v.file_id = f.id WHERE v.state = :committed GROUP BY 1")
                .bind("committed", COMMITTED).bind("otherwise", otherwise)
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Totals(rs.getLong(2), rs.getLong(3))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    Usage usage(Handle h, String owner) {
        return h.createQuery("SELECT bytes, files FROM usage_counters WHERE owner_id = :owner")
                .bind("owner", owner)
                .map((rs, ctx) -> new Usage(owner, rs.getLong("bytes"), rs.getLong("files")))
                .findOne().orElse(new Usage(owner, 0, 0));
    }

    static Entry entry(ResultSet rs) throws SQLException {
        FileRecord record = new FileRecord(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                rs.getString("version_id"), rs.getInt("seq"), rs.getLong("size"), rs.getString("sha256"),
                rs.getString("content_type"), Json.read(rs.getString("metadata")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("committed_at")),
                nonNull(rs.getString("backend")), rs.getString("tier") == null ? Tier.HOT : Tier.parse(rs.getString("tier")),
                Optional.ofNullable(rs.getString("segment")));
        return new Entry(record, rs.getString("blob_key"));
    }

    private static StoredVersion storedVersion(ResultSet rs) throws SQLException {
        return new StoredVersion(rs.getString("id"), rs.getString("file_id"), rs.getString("owner_id"),
                rs.getString("blob_key"), rs.getString("state"), rs.getLong("size"));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
