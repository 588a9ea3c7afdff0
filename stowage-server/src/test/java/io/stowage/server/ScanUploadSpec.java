package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.ClamdServer;
import io.stowage.testkit.TempTrees;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uploads scanned by a real clamd: EICAR answered 422 {@code INFECTED}, a clean file 201, health naming the scanner. */
abstract class ScanUploadSpec extends ApiTestBase {

    private static ClamdServer clamd;
    private static Path clamdDir;

    @BeforeAll
    static void startClamd() throws Exception {
        clamdDir = Files.createTempDirectory("stowage-clamd");
        clamd = ClamdServer.start(clamdDir);
    }

    @AfterAll
    static void stopClamd() {
        if (clamd != null) {
            clamd.close();
        }
        TempTrees.delete(clamdDir);
    }

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_CLAMD", clamd.unixSocket());
    }

    @Test
    void an_infected_upload_is_refused_with_422_infected_and_a_clean_one_is_stored() {
        HttpResponse<String> infected = upload(ALICE, "eicar.com", "application/octet-stream", ClamdServer.EICAR);
        HttpResponse<String> clean = upload(ALICE, "clean.txt", "text/plain", "nothing to see");

        assertProblem(infected, 422, "INFECTED");
        assertThat(field(infected, "detail").toString()).contains(ClamdServer.eicarName());
        assertThat(clean.statusCode()).as(clean.body()).isEqualTo(201);
        assertThat(list(get("/v1/files", ALICE), "files")).singleElement()
                .satisfies(f -> assertThat(f.get("name")).isEqualTo("clean.txt"));
    }

    @Test
    void health_names_the_scanner_its_fail_mode_and_what_uploads_meet() {
        Map<String, Object> storage = json(get("/health/storage", null));
        Map<String, Object> ready = json(get("/health/ready", null));

        assertThat(storage.get("scan")).isEqualTo(Map.of("enabled", true, "healthy", true, "fail_mode", "closed",
                "uploads", "scanned", "latency_ms", ((Map<?, ?>) storage.get("scan")).get("latency_ms")));
        assertThat(((Map<?, ?>) ready.get("checks")).get("scan")).isInstanceOfSatisfying(Map.class,
                s -> assertThat(s.get("healthy")).isEqualTo(true));
    }
}
