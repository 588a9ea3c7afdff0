package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.local.LocalBlobStore;
import io.stowage.service.JobContext;
import io.stowage.service.JobReport;
import io.stowage.service.MaintenanceJob;
import io.stowage.service.ServiceSettings;
import io.stowage.service.StorageService;
import io.stowage.service.auth.AuthenticationException;
import io.stowage.service.auth.Authenticator;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/maintenance} (decision 0054): the jobs' status and a run asked for over HTTP, admin scope only, and
 * two servers on one catalog running a job one at a time.
 */
abstract class AdminJobsSpec extends ApiTestBase {

    static final String ADMIN = "admin-key";

    @Override
    Authenticator authenticator() {
        Authenticator users = super.authenticator();
        return bearer -> ADMIN.equals(bearer) ? new Principal("ops", Set.of(Scope.ADMIN), "key-admin")
                : users.authenticate(bearer);
    }

    @Test
    void status_lists_every_job_and_a_run_answers_its_record() {
        HttpResponse<String> run = send("POST", "/admin/maintenance/temp-cleanup?dryRun=true", ADMIN);
        HttpResponse<String> status = get("/admin/maintenance", ADMIN);

        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        Map<String, Object> ran = json(run);
        assertThat(ran).containsEntry("job", "temp-cleanup").containsEntry("dryRun", true)
                .containsEntry("outcome", "ok").containsEntry("node", service.maintenance().node());
        assertThat(ran.get("counts")).isInstanceOf(Map.class);
        assertThat(status.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) json(status).get("jobs");
        assertThat(jobs).extracting(j -> j.get("job")).contains("temp-cleanup", "scrub", "reconcile", "lifecycle",
                "trash-purge", "retention", "pending-sweep", "failed-retry", "uploads-expire");
        Map<String, Object> temp = jobs.stream().filter(j -> j.get("job").equals("temp-cleanup")).findFirst().orElseThrow();
        assertThat(temp).containsEntry("interval", "PT1H");
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) temp.get("lastRun");
        assertThat(last).containsEntry("id", ran.get("id"));
    }

    @Test
    void an_unknown_job_is_404_a_bad_dry_run_400_and_a_user_key_403() {
        assertThat(send("POST", "/admin/maintenance/defrag", ADMIN).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/admin/maintenance/scrub?dryRun=maybe", ADMIN).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/admin/maintenance/scrub", ALICE).statusCode()).isEqualTo(403);
        assertThat(get("/admin/maintenance", ALICE).statusCode()).isEqualTo(403);
        assertThat(get("/admin/maintenance", null).statusCode()).isEqualTo(401);
    }

    @Test
    void two_servers_on_one_catalog_run_a_job_once_at_a_time_and_both_see_the_run() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MaintenanceJob slow = new MaintenanceJob() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public JobReport run(JobContext context) {
                started.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return JobReport.builder().count("done").build();
            }
        };
        try (LocalBlobStore otherStore = LocalBlobStore.open(home.resolve("blobs"));
             StorageService otherService = StorageService.open(ServiceSettings.from(config()), otherStore);
             StowageServer other = StowageServer.start(ServerSettings.from(config()).withPort(0), otherService,
                     authenticator())) {
            service.maintenance().register(slow, Duration.ZERO);
            otherService.maintenance().register(slow, Duration.ZERO);

            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(
                    () -> send("POST", "/admin/maintenance/slow", ADMIN));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> refused = send(HttpRequest.newBuilder(other.localUri().resolve("/admin/maintenance/slow"))
                    .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody()).build());
            release.countDown();
            HttpResponse<String> done = first.get(30, TimeUnit.SECONDS);
            HttpResponse<String> seen = send(HttpRequest.newBuilder(other.localUri().resolve("/admin/maintenance"))
                    .header("Authorization", "Bearer " + ADMIN).GET().build());

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(refused.body()).contains("ALREADY_EXISTS", service.maintenance().node());
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertThat(json(done)).containsEntry("node", service.maintenance().node());
            assertThat(seen.body()).contains("\"job\":\"slow\"", service.maintenance().node());
        }
    }
}
