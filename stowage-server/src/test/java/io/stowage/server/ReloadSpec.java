package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The configuration routes over real HTTP (decision 0052), as {@code stowage serve} runs them: a working directory
 * holding {@code .env} (and {@code stowage.yaml} where a test writes one), a service that built its manager over the
 * catalog's journal, real API keys, and a real S3 server (s3proxy) to switch the primary to.
 */
abstract class ReloadSpec extends ReloadTestBase {

    // --- scope and audit

    @Test
    void every_configuration_route_is_refused_to_a_user_key_and_to_no_key() {
        List<String[]> routes = List.of(new String[] {"POST", "/admin/storage/test-connection"},
                new String[] {"GET", "/admin/config"}, new String[] {"POST", "/admin/config/reload"},
                new String[] {"GET", "/admin/storage-service/info"},
                new String[] {"POST", "/admin/storage-service/test-connection"},
                new String[] {"GET", "/environment-variables"}, new String[] {"PUT", "/environment-variables"},
                new String[] {"POST", "/environment-variables/reload"},
                new String[] {"POST", "/environment-variables/rollback"});
        String before = dotEnv();
        for (String[] route : routes) {
            assertProblem(send(route[0], route[1], alice), 403, "PERMISSION_DENIED");
            assertProblem(send(route[0], route[1], null), 401, "UNAUTHENTICATED");
        }
        assertThat(dotEnv()).isEqualTo(before);
        assertThat(backups()).isEmpty();
    }

    @Test
    void each_call_is_audited_with_the_admin_as_actor_and_its_outcome() {
        get("/admin/config", admin);
        post("/admin/config/reload", admin);
        appendToDotEnv(Map.of("PRIMARY_BACKEND", "nosuch"));
        post("/environment-variables/reload", admin);

        HttpResponse<String> audit = get("/admin/audit?limit=1000", admin);

        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        List<Map<String, Object>> entries = list(audit, "entries");
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("outcome"))
                .contains("admin.config.view ok", "admin.config.reload ok", "admin.env.reload CONFIG");
    }

    // --- the views

    @Test
    void the_config_view_lists_every_setting_with_its_source_and_masks_secrets() {
        HttpResponse<String> r = get("/admin/config", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        List<Map<String, Object>> settings = list(r, "settings");
        assertThat(settings).anySatisfy(s -> {
            assertThat(s.get("name")).isEqualTo("primary");
            assertThat(s.get("value")).isEqualTo("local");
            assertThat(s.get("source")).isEqualTo(".env");
            assertThat(s.get("origin")).isEqualTo("PRIMARY_BACKEND");
        });
        assertThat(settings).anySatisfy(s -> {
            assertThat(s.get("origin")).isEqualTo("STOWAGE_JWT_SECRET");
            assertThat(s.get("secret")).isEqualTo(true);
            assertThat((String) s.get("value")).startsWith("****");
        });
        assertThat(settings).anySatisfy(s -> assertThat(s.get("source")).isEqualTo("default"));
        assertThat(field(r, "reloadable")).isEqualTo(true);
        assertNoSecret(r);
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_environment_variables_are_listed_by_category_with_secrets_masked() {
        appendToDotEnv(Map.of("SOME_OTHER_TOOLS_TOKEN", "other-tools-token-never-shown", "ENABLE_IMAGE_PROCESSING", "true"));

        HttpResponse<String> r = get("/environment-variables", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> categories = (Map<String, Map<String, Map<String, Object>>>) json(r).get("categories");
        assertThat(categories.get("storage")).containsKeys("PRIMARY_BACKEND", "LOCAL_STORAGE_PATH");
        assertThat(categories.get("storage").get("PRIMARY_BACKEND")).containsEntry("value", "local")
                .containsEntry("source", ".env").containsEntry("sensitive", false);
        assertThat(categories.get("image")).containsKey("ENABLE_IMAGE_PROCESSING");
        Map<String, Object> jwt = categories.values().stream().filter(c -> c.containsKey("STOWAGE_JWT_SECRET"))
                .findFirst().orElseThrow().get("STOWAGE_JWT_SECRET");
        assertThat(jwt).containsEntry("sensitive", true);
        assertThat(r.body()).doesNotContain("other-tools-token-never-shown");
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) json(r).get("envFile");
        assertThat(file).containsEntry("exists", true).containsEntry("backups", 0);
        assertThat((List<Object>) file.get("unused")).containsExactly("SOME_OTHER_TOOLS_TOKEN");
        assertNoSecret(r);
    }

    @Test
    void the_storage_service_info_names_the_type_backend_and_status_as_specification_004_does() {
        HttpResponse<String> r = get("/admin/storage-service/info", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r, "storage_type")).isEqualTo("local");
        assertThat(field(r, "backend")).isEqualTo("local");
        assertThat(field(r, "status")).isEqualTo("healthy");
        assertThat(list(r, "backends")).singleElement().satisfies(b -> assertThat(b).containsEntry("role", "primary"));
        assertNoSecret(r);
    }

    // --- connection tests

    @Test
    @SuppressWarnings("unchecked")
    void a_connection_test_writes_reads_and_deletes_on_every_backend_and_leaves_nothing() throws IOException {
        HttpResponse<String> r = post("/admin/storage/test-connection", admin);
        HttpResponse<String> spec = post("/admin/storage-service/test-connection", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r, "ok")).isEqualTo(true);
        assertThat(list(r, "backends")).singleElement().satisfies(b -> {
            assertThat(b).containsEntry("backend", "local").containsEntry("ok", true);
            assertThat((Map<String, Object>) b.get("steps")).containsOnlyKeys("write", "read", "delete");
        });
        assertThat(spec.statusCode()).as(spec.body()).isEqualTo(200);
        assertThat(field(spec, "success")).isEqualTo(true);
        assertThat(field(spec, "storage_type")).isEqualTo("local");
        try (Stream<Path> files = Files.walk(wd.resolve("local"))) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("_stowage-probe"));
        }
    }

    @Test
    void a_backend_that_fails_the_test_is_reported_with_step_and_kind_and_no_secret() {
        writeDeadBackend("fallback");
        HttpResponse<String> reload = post("/admin/config/reload", admin);
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);

        HttpResponse<String> r = post("/admin/storage/test-connection", admin);
        HttpResponse<String> spec = post("/admin/storage-service/test-connection", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r, "ok")).isEqualTo(false);
        List<Map<String, Object>> backends = list(r, "backends");
        assertThat(backends).anySatisfy(b -> assertThat(b).containsEntry("backend", "local").containsEntry("ok", true));
        assertThat(backends).anySatisfy(b -> {
            assertThat(b).containsEntry("backend", "dead").containsEntry("ok", false).containsEntry("failedStep", "write");
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) b.get("error");
            assertThat((String) error.get("kind")).isIn("UNAVAILABLE", "TIMEOUT");
            assertThat((String) error.get("message")).isNotBlank();
        });
        assertThat(field(spec, "success")).isEqualTo(false);
        assertThat((String) field(spec, "message")).contains("dead");
        assertNoSecret(reload);
        assertNoSecret(r);
        assertNoSecret(spec);
    }

    /**
     * A stowage.yaml with a backend {@code dead} in {@code role} ({@code fallback} or {@code mirror}): an S3 endpoint
     * nothing listens on, with a secret key and a password in its URL, never created at open.
     */
    void writeDeadBackend(String role) {
        writeYaml("""
                backends:
                  dead: { type: minio, endpoint: "http://user:%s@127.0.0.1:%d", bucket: gone, access_key: nobody,
                          secret_key: "%s", create_bucket: false }
                %s: [dead]
                """.formatted(DEAD_SECRET, deadPort(), DEAD_SECRET, role));
    }

    /** A port nothing listens on. */
    static int deadPort() {
        try {
            return S3ProxyProcess.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- reload

    @Test
    void a_reload_of_a_broken_configuration_is_refused_with_every_problem_and_the_old_one_keeps_serving() {
        String saved = saved(alice, "before.txt", "saved before");
        appendToDotEnv(Map.of("PRIMARY_BACKEND", "nosuch", "STOWAGE_PORT", "not-a-port"));

        HttpResponse<String> r = post("/admin/config/reload", admin);
        HttpResponse<String> spec = post("/environment-variables/reload", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(field(r, "kind")).isEqualTo("CONFIG");
        assertThat(problems(r)).hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(p -> assertThat(p).contains("PRIMARY_BACKEND"))
                .anySatisfy(p -> assertThat(p).contains("STOWAGE_PORT"));
        assertThat(spec.statusCode()).as(spec.body()).isEqualTo(422);
        assertThat(problems(spec)).isEqualTo(problems(r));
        assertThat(primary()).isEqualTo("local");
        assertThat(content(alice, saved).body()).isEqualTo("saved before");
        String after = saved(alice, "after.txt", "saved after");
        assertThat(content(alice, after).body()).isEqualTo("saved after");
        assertNoSecret(r);
    }

    @Test
    void a_reload_that_drops_a_backend_holding_files_is_refused() {
        saved(alice, "kept.txt", "on local");
        try {
            Files.writeString(wd.resolve(".env"), dotEnv().replace("PRIMARY_BACKEND=local\n", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeYaml("""
                backends:
                  other: { type: local, path: "%s" }
                primary: other
                """.formatted(wd.resolve("other")));
        // 'local' is always defined, so this reload keeps it; a backend named only in yaml is what can go away.
        HttpResponse<String> first = post("/admin/config/reload", admin);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        saved(alice, "on-other.txt", "on other");
        writeYaml("primary: local\n");

        HttpResponse<String> r = post("/admin/config/reload", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(problems(r)).singleElement().satisfies(p -> assertThat(p).contains("'other'").contains("1 file"));
        assertThat(primary()).isEqualTo("other");
    }

    @Test
    void a_reload_switching_the_primary_from_local_to_s3_writes_new_files_there_and_still_reads_the_old_ones()
            throws IOException {
        String old = saved(alice, "old.txt", "written on local");
        appendToDotEnv(minio());
        appendToDotEnv(Map.of("PRIMARY_BACKEND", "minio"));

        HttpResponse<String> r = post("/admin/config/reload", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r, "primary")).isEqualTo("minio");
        assertThat(field(r, "previousPrimary")).isEqualTo("local");
        assertThat(field(r, "managersOpen")).isEqualTo(1);
        HttpResponse<String> created = upload(alice, "new.txt", "text/plain", "written on s3");
        String fresh = id(created);
        assertThat(field(created, "backend")).isEqualTo("minio");
        assertThat(content(alice, fresh).body()).isEqualTo("written on s3");
        assertThat(content(alice, old).body()).isEqualTo("written on local");
        assertThat(json(get("/v1/files/" + old, alice))).containsEntry("backend", "local");
        try (Stream<Path> onS3 = Files.walk(s3.bucketDirectory(bucket)); Stream<Path> onLocal = Files.walk(wd.resolve("local"))) {
            assertThat(onS3.map(Path::toString)).anyMatch(p -> p.contains(fresh));
            assertThat(onLocal.map(Path::toString)).noneMatch(p -> p.contains(fresh)).anyMatch(p -> p.contains(old));
        }
        HttpResponse<String> health = get("/health/storage", null);
        assertThat(field(health, "primary_backend")).isEqualTo("minio");
        assertThat(primary()).isEqualTo("minio");
        assertThat(field(get("/admin/storage-service/info", admin), "storage_type")).isEqualTo("s3_compatible");
        assertNoSecret(r);
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_reload_lists_the_settings_that_need_a_restart() throws IOException {
        String before = dotEnv();
        appendToDotEnv(Map.of("STOWAGE_MAX_BODY_SIZE", "2MiB", "STOWAGE_MAX_UPLOAD_SIZE", "5MB"));

        HttpResponse<String> r = post("/admin/config/reload", admin);

        // The upload limit is applied at once (decision 0066); the server's body limit waits for a restart.
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat((List<Object>) json(r).get("restartNeeded")).containsExactly("server.max_body_size");

        // Another change on top: the list still compares with what the server started with, naming each once.
        Files.writeString(wd.resolve(".env"), before + "STOWAGE_MAX_BODY_SIZE=3MiB\n");
        HttpResponse<String> again = post("/admin/config/reload", admin);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat((List<Object>) json(again).get("restartNeeded")).containsExactly("server.max_body_size");

        // The variable removed again: the value is the start's once more, so nothing waits for a restart.
        Files.writeString(wd.resolve(".env"), before);
        HttpResponse<String> back = post("/admin/config/reload", admin);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat((List<Object>) json(back).get("restartNeeded")).isEmpty();
    }

    /**
     * Spec 004's real-time settings: the upload limit and the types accepted, changed through the {@code .env}
     * route or a reload, hold for the next request on every upload route, with no restart (decision 0066).
     */
    @Test
    @SuppressWarnings("unchecked")
    void limits_changed_in_the_env_file_hold_for_the_next_requests_without_a_restart() throws IOException {
        String before = dotEnv();
        String kib2 = "x".repeat(2048);
        assertThat(upload(alice, "first.txt", "text/plain", kib2).statusCode()).isEqualTo(201);

        HttpResponse<String> lowered = sendJson("PUT", "/environment-variables", admin,
                Map.of("variables", Map.of("STOWAGE_MAX_UPLOAD_SIZE", "1KiB")));
        assertThat(lowered.statusCode()).as(lowered.body()).isEqualTo(200);
        assertProblem(upload(alice, "big.txt", "text/plain", kib2), 413, "TOO_LARGE");
        assertThat(upload(alice, "small.txt", "text/plain", "small").statusCode()).isEqualTo(201);
        assertProblem(tusCreate(2048), 413, "TOO_LARGE");
        assertThat(send("OPTIONS", TusSpec.TUS, null).headers().firstValue("Tus-Max-Size")).hasValue("1024");
        assertThat(field(get("/admin/owners/alice/quota", admin), "maxUploadSize")).isEqualTo(1024);

        // Raised again and text refused, by a reload of the file as an operator edited it.
        Files.writeString(wd.resolve(".env"), before + "STOWAGE_MAX_UPLOAD_SIZE=1MiB\nSTOWAGE_ALLOWED_TYPES=image/*\n");
        HttpResponse<String> raised = post("/admin/config/reload", admin);
        assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
        assertThat((List<Object>) json(raised).get("restartNeeded")).isEmpty();
        assertThat(tusCreate(2048).statusCode()).isEqualTo(201);
        assertProblem(upload(alice, "big.txt", "text/plain", kib2), 415, "UNSUPPORTED_MEDIA_TYPE");

        Files.writeString(wd.resolve(".env"), before);
        assertThat(post("/admin/config/reload", admin).statusCode()).isEqualTo(200);
        assertThat(upload(alice, "big.txt", "text/plain", kib2).statusCode()).isEqualTo(201);
    }

    private HttpResponse<String> tusCreate(long length) {
        return send(request(TusSpec.TUS, alice).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", Long.toString(length)).header("Upload-Metadata", "filename "
                        + TusSpec.b64("t.bin")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    // --- .env edits

    @Test
    void an_env_edit_keeps_a_backup_applies_and_a_rollback_restores_the_previous_file() throws IOException {
        String original = dotEnv();
        Map<String, String> change = new HashMap<>(minio());
        change.put("PRIMARY_BACKEND", "minio");

        HttpResponse<String> put = sendJson("PUT", "/environment-variables", admin, Map.of("variables", change));

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat((List<?>) json(put).get("updated")).hasSize(5);
        assertThat(backups()).singleElement().satisfies(b -> {
            assertThat(b.getFileName().toString()).isEqualTo(field(put, "backup"))
                    .matches("\\.env\\.backup-\\d{8}T\\d{6}\\.\\d{3}Z");
            assertThat(Files.readString(b)).isEqualTo(original);
        });
        assertThat(dotEnv()).startsWith("# the storage of this test\nPRIMARY_BACKEND=minio\n")
                .contains("MINIO_SECRET_KEY=" + S3ProxyProcess.SECRET_KEY);
        assertThat(primary()).isEqualTo("minio");
        HttpResponse<String> listed = get("/environment-variables", admin);
        assertThat(listed.body()).contains("MINIO_SECRET_KEY").contains("MINIO_BUCKET_NAME");
        assertNoSecret(put);
        assertNoSecret(listed);

        HttpResponse<String> rollback = post("/environment-variables/rollback", admin);

        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
        assertThat(field(rollback, "restored")).isEqualTo(field(put, "backup"));
        assertThat(dotEnv()).isEqualTo(original);
        assertThat(backups()).isEmpty();
        assertThat(primary()).isEqualTo("local");
        assertProblem(post("/environment-variables/rollback", admin), 404, "NOT_FOUND");
        assertNoSecret(rollback);
    }

    @Test
    void secrets_are_write_only_and_a_masked_value_sent_back_changes_nothing() {
        Map<String, String> change = new HashMap<>(minio());
        HttpResponse<String> first = sendJson("PUT", "/environment-variables", admin, Map.of("variables", change));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        String shown = (String) ((Map<String, Map<String, Object>>) ((Map<String, Object>) json(
                get("/environment-variables", admin)).get("categories")).get("storage")).get("MINIO_SECRET_KEY").get("value");
        assertThat(shown).startsWith("****").isNotEqualTo(S3ProxyProcess.SECRET_KEY);
        String before = dotEnv();

        HttpResponse<String> echo = sendJson("PUT", "/environment-variables", admin,
                Map.of("variables", Map.of("MINIO_SECRET_KEY", shown)));

        assertThat(echo.statusCode()).as(echo.body()).isEqualTo(200);
        assertThat((List<?>) json(echo).get("updated")).isEmpty();
        assertThat(dotEnv()).isEqualTo(before);
        assertThat(backups()).hasSize(1);
    }

    @Test
    void an_invalid_edit_is_refused_with_its_problems_and_the_file_is_left_unchanged() throws IOException {
        String original = dotEnv();
        var modified = Files.getLastModifiedTime(wd.resolve(".env"));

        HttpResponse<String> r = sendJson("PUT", "/environment-variables", admin,
                Map.of("variables", Map.of("PRIMARY_BACKEND", "nosuch", "STOWAGE_PORT", "not-a-port")));
        HttpResponse<String> badName = sendJson("PUT", "/environment-variables", admin,
                Map.of("variables", Map.of("1BAD NAME", "x")));
        HttpResponse<String> notStrings = sendJson("PUT", "/environment-variables", admin, Map.of("variables", List.of("x")));
        HttpResponse<String> empty = sendJson("PUT", "/environment-variables", admin, Map.of());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(problems(r)).anySatisfy(p -> assertThat(p).contains("PRIMARY_BACKEND"))
                .anySatisfy(p -> assertThat(p).contains("STOWAGE_PORT"));
        assertProblem(badName, 400, "INVALID_ARGUMENT");
        assertProblem(notStrings, 400, "INVALID_ARGUMENT");
        assertProblem(empty, 400, "INVALID_ARGUMENT");
        assertThat(dotEnv()).isEqualTo(original);
        assertThat(Files.getLastModifiedTime(wd.resolve(".env"))).isEqualTo(modified);
        assertThat(backups()).isEmpty();
        assertThat(primary()).isEqualTo("local");
    }

    @Test
    void an_edit_whose_backend_fails_to_open_is_put_back_and_leaves_no_backup() {
        String original = dotEnv();
        // The form is valid; the backend type is not installed, which only opening finds.
        writeYaml("""
                backends:
                  cloud: { type: azure_blob, container: c, connection_string: "${AZ_CONN}" }
                """);
        HttpResponse<String> r = sendJson("PUT", "/environment-variables", admin,
                Map.of("variables", Map.of("PRIMARY_BACKEND", "cloud", "AZ_CONN", "UseDevelopmentStorage=true")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(problems(r)).isNotEmpty();
        assertThat(dotEnv()).isEqualTo(original);
        assertThat(backups()).isEmpty();
        assertThat(primary()).isEqualTo("local");
    }

    @Test
    void no_answer_of_any_configuration_route_holds_a_secret() {
        writeDeadBackend("mirror");
        Map<String, String> change = new HashMap<>(minio());
        change.put("PRIMARY_BACKEND", "minio");
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(sendJson("PUT", "/environment-variables", admin, Map.of("variables", change)));
        answers.add(get("/admin/config", admin));
        answers.add(get("/environment-variables", admin));
        answers.add(get("/admin/storage-service/info", admin));
        answers.add(post("/admin/storage/test-connection", admin));
        answers.add(post("/admin/storage-service/test-connection", admin));
        answers.add(post("/admin/config/reload", admin));
        answers.add(post("/environment-variables/reload", admin));
        answers.add(get("/admin/storage", admin));
        answers.add(sendJson("PUT", "/environment-variables", admin, Map.of("variables", Map.of("MINIO_SECRET_KEY", "x"))));
        answers.add(post("/environment-variables/rollback", admin));

        assertThat(answers.get(0).statusCode()).as(answers.get(0).body()).isEqualTo(200);
        for (HttpResponse<String> r : answers) {
            assertNoSecret(r);
        }
        assertThat(String.join("\n", answers.stream().map(HttpResponse::body).toList()))
                .contains("****").contains("dead");
    }

    @Test
    void a_download_started_before_a_reload_finishes_from_the_old_manager() throws Exception {
        byte[] big = new byte[4 * 1024 * 1024];
        new java.util.Random(7).nextBytes(big);
        String id = id(send(request("/v1/files?name=big.bin", alice).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build()));
        HttpResponse<java.io.InputStream> download = http.send(request("/v1/files/" + id + "/content", alice).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] head;
        try (java.io.InputStream in = download.body()) {
            head = in.readNBytes(1024);
            appendToDotEnv(minio());
            appendToDotEnv(Map.of("PRIMARY_BACKEND", "minio"));
            HttpResponse<String> r = post("/admin/config/reload", admin);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            byte[] rest = in.readAllBytes();
            byte[] all = new byte[head.length + rest.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(rest, 0, all, head.length, rest.length);
            assertThat(all).isEqualTo(big);
        }
        assertThat(content(alice, saved(alice, "after.txt", "after the reload")).body()).isEqualTo("after the reload");
    }
}
