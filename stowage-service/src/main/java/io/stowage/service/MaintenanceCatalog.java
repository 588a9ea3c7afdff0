package io.stowage.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.StorageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The catalog's side of maintenance (V9, decision 0054): the record of runs and the leases. A lease is one row per
 * job; whoever's conditional UPDATE finds it expired holds it until {@code expires_at}, so on PostgreSQL two nodes
 * racing for it are ordered by the row lock and the second finds it taken, and on SQLite writers are serial anyway.
 */
final class MaintenanceCatalog {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() { };
    private static final TypeReference<List<String>> ERRORS = new TypeReference<>() { };
    private static final String COLUMNS = "id, job, node, dry_run, started_at, finished_at, outcome, counts, errors";

    /** Who holds a job's lease, and until when. */
    record Lease(String job, String holder, Instant expires) {
    }

    /**
     * Takes {@code job}'s lease for {@code holder} until {@code until} when it is free or expired at {@code now}.
     *
     * @return whether {@code holder} holds it now
     */
    boolean take(Handle h, String job, String holder, Instant now, Instant until) {
        h.createUpdate("INSERT INTO maintenance_leases (job, holder, expires_at) VALUES (:job, '', 0)"
                + " ON CONFLICT (job) DO NOTHING").bind("job", job).execute();
        return h.createUpdate("UPDATE maintenance_leases SET holder = :holder, expires_at = :until"
                        + " WHERE job = :job AND expires_at <= :now")
                .bind("holder", holder).bind("until", until.toEpochMilli()).bind("job", job)
                .bind("now", now.toEpochMilli()).execute() == 1;
    }

    /** Extends a lease {@code holder} holds; false when it lost it (expired and taken by another). */
    boolean renew(Handle h, String job, String holder, Instant until) {
        return h.createUpdate("UPDATE maintenance_leases SET expires_at = :until WHERE job = :job AND holder = :holder")
                .bind("until", until.toEpochMilli()).bind("job", job).bind("holder", holder).execute() == 1;
    }

    /** Frees a lease {@code holder} holds, for the next run on any node. */
    void release(Handle h, String job, String holder) {
        h.createUpdate("UPDATE maintenance_leases SET expires_at = 0 WHERE job = :job AND holder = :holder")
                .bind("job", job).bind("holder", holder).execute();
    }

    /** The leases held at {@code now}. */
    List<Lease> held(Handle h, Instant now) {
        return h.createQuery("SELECT job, holder, expires_at FROM maintenance_leases WHERE expires_at > :now")
                .bind("now", now.toEpochMilli())
                .map((rs, c) -> new Lease(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
                .list();
    }

    /**
     * Records the start of a run; earlier runs of the job still marked running (on this node, for a job per node) were
     * abandoned (the lease says so).
     */
    long start(Handle h, String job, String node, boolean perNode, boolean dryRun, Instant at) {
        h.createUpdate("UPDATE maintenance_runs SET outcome = 'abandoned' WHERE job = :job AND outcome = 'running'"
                + (perNode ? " AND node = :node" : "")).bind("job", job).bind("node", node).execute();
        return h.createUpdate("INSERT INTO maintenance_runs (job, node, dry_run, started_at, outcome, counts, errors)"
                        + " VALUES (:job, :node, :dry, :at, 'running', '{}', '[]')")
                .bind("job", job).bind("node", node).bind("dry", dryRun ? 1 : 0).bind("at", at.toEpochMilli())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void finish(Handle h, long id, JobRun.Outcome outcome, JobReport report, Instant at) {
        h.createUpdate("UPDATE maintenance_runs SET finished_at = :at, outcome = :outcome, counts = :counts,"
                        + " errors = :errors WHERE id = :id")
                .bind("at", at.toEpochMilli()).bind("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .bind("counts", json(report.counts())).bind("errors", json(report.errors())).bind("id", id).execute();
    }

    Optional<JobRun> run(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM maintenance_runs WHERE id = :id").bind("id", id)
                .map((rs, c) -> run(rs)).findOne();
    }

    /** The latest run of {@code job}. */
    Optional<JobRun> last(Handle h, String job) {
        return runs(h, job, 1).stream().findFirst();
    }

    /** The latest {@code limit} runs of {@code job}, newest first. */
    List<JobRun> runs(Handle h, String job, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM maintenance_runs WHERE job = :job ORDER BY id DESC LIMIT :limit")
                .bind("job", job).bind("limit", limit).map((rs, c) -> run(rs)).list();
    }

    /** When the latest run of {@code job} that ended well (not a dry run) started, on {@code node} if named. */
    Optional<Instant> lastDone(Handle h, String job, Optional<String> node) {
        return h.createQuery("SELECT MAX(started_at) FROM maintenance_runs WHERE job = :job AND outcome = 'ok'"
                        + " AND dry_run = 0" + (node.isPresent() ? " AND node = :node" : "")).bind("job", job)
                .bind("node", node.orElse(""))
                .map((rs, c) -> rs.getObject(1) == null ? null : Instant.ofEpochMilli(rs.getLong(1))).findOne();
    }

    private static JobRun run(ResultSet rs) throws SQLException {
        long finished = rs.getLong("finished_at");
        Optional<Instant> end = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
        return new JobRun(rs.getLong("id"), rs.getString("job"), rs.getString("node"), rs.getInt("dry_run") == 1,
                Instant.ofEpochMilli(rs.getLong("started_at")), end,
                JobRun.Outcome.valueOf(rs.getString("outcome").toUpperCase(java.util.Locale.ROOT)),
                new JobReport(read(rs.getString("counts"), COUNTS), read(rs.getString("errors"), ERRORS)));
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw StorageException.internal(CatalogDatabase.NAME, "maintenance", "cannot encode a run's report", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw StorageException.internal(CatalogDatabase.NAME, "maintenance", "cannot decode a run's report", e);
        }
    }
}
