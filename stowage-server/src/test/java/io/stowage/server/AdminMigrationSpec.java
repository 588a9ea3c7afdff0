package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.Await;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/migrations} (decision 0053): a dry run, a job moving every file from the primary to the fallback's
 * backend followed to its end, listed, refused a cancel once done, rolled back; bad requests and unknown jobs.
 */
abstract class AdminMigrationSpec extends AdminTestBase {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private Map<String, Object> awaitState(String id, String state) {
        Await.until(BOUND, "migration " + id + " " + state,
                () -> state.equals(json(get("/admin/migrations/" + id, admin)).get("state")));
        return json(get("/admin/migrations/" + id, admin));
    }

    @Test
    void a_migration_is_planned_run_followed_listed_and_rolled_back() {
        for (int i = 0; i < 7; i++) {
            assertThat(upload(alice, "f" + i + ".txt", "text/plain", "file " + i).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> plan = sendJson("POST", "/admin/migrations", admin,
                Map.of("from", "main", "to", "spare", "dryRun", true));
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        assertThat(json(plan)).containsEntry("files", 7).containsEntry("versions", 7);

        HttpResponse<String> started = sendJson("POST", "/admin/migrations", admin,
                Map.of("from", "main", "to", "spare", "owner", "alice", "batchSize", 3, "parallel", 2,
                        "deleteSource", true));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = (String) field(started, "id");
        Map<String, Object> done = awaitState(id, "completed");
        assertThat(done).containsEntry("filesDone", 7).containsEntry("filesTotal", 7).containsEntry("filesFailed", 0)
                .containsEntry("from", "main").containsEntry("to", "spare").containsEntry("deleteSource", true)
                .containsEntry("filter", Map.of("owner", "alice"));
        assertThat(list(get("/admin/migrations", admin), "migrations")).extracting(m -> m.get("id")).containsExactly(id);
        for (Map<String, Object> f : list(get("/v1/files", alice), "files")) {
            assertThat(f).containsEntry("backend", "spare");
        }

        assertProblem(send("POST", "/admin/migrations/" + id + "/cancel", admin), 412, "PRECONDITION_FAILED");
        HttpResponse<String> back = send("POST", "/admin/migrations/" + id + "/rollback", admin);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
        assertThat(awaitState(id, "rolled_back")).containsEntry("filesDone", 0);
        for (Map<String, Object> f : list(get("/v1/files", alice), "files")) {
            assertThat(f).containsEntry("backend", "main");
        }
        // The dry run is the same call, audited alike.
        assertThat(list(get("/admin/audit?action=admin.migration.start", admin), "entries")).hasSize(2);
    }

    @Test
    void a_migration_that_is_not_one_is_400_and_an_unknown_job_404() {
        assertProblem(sendJson("POST", "/admin/migrations", admin, Map.of("from", "main")), 400, "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/admin/migrations", admin, Map.of("from", "main", "to", "nowhere")), 400,
                "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/admin/migrations", admin, Map.of("from", "main", "to", "main")), 400,
                "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/admin/migrations", admin, Map.of("from", "main", "to", "spare",
                "parallel", 0)), 400, "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/admin/migrations", admin, Map.of("from", "main", "to", "spare",
                "dryRun", "yes")), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/migrations/0000000000000000000000000z", admin), 404, "NOT_FOUND");
        assertProblem(send("POST", "/admin/migrations/nope/rollback", admin), 404, "NOT_FOUND");
        assertProblem(send("GET", "/admin/migrations", alice), 403, "PERMISSION_DENIED");
        assertThat(list(get("/admin/migrations", admin), "migrations")).isEqualTo(List.of());
    }
}
