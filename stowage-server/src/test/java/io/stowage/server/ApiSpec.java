package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.HandlerType;
import io.stowage.service.Quota;
import io.stowage.service.auth.Scope;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The /v1 routes' good paths, and who may call them: another owner's id, a read-only key, no key. */
abstract class ApiSpec extends ApiTestBase {

    @Test
    void a_listing_pages_by_prefix_with_a_cursor_to_the_next_page() {
        saved(ALICE, "a/1.txt", "one");
        saved(ALICE, "a/2.txt", "two");
        saved(ALICE, "b/3.txt", "three");
        saved(BOB, "a/bob.txt", "not alice's");

        HttpResponse<String> first = get("/v1/files?prefix=a/&limit=1", ALICE);
        String cursor = (String) field(first, "nextCursor");
        HttpResponse<String> second = get("/v1/files?prefix=a/&limit=1&cursor=" + cursor, ALICE);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(list(first, "files")).extracting(f -> f.get("name")).containsExactly("a/1.txt");
        assertThat(cursor).isNotBlank();
        assertThat(list(second, "files")).extracting(f -> f.get("name")).containsExactly("a/2.txt");
        assertThat(field(second, "nextCursor")).isNull();
        assertThat(list(get("/v1/files", ALICE), "files")).hasSize(3);
    }

    @Test
    void a_bad_limit_or_cursor_is_a_bad_request() {
        assertProblem(get("/v1/files?limit=many", ALICE), 400, "INVALID_ARGUMENT");
        assertProblem(get("/v1/files?limit=0", ALICE), 400, "INVALID_ARGUMENT");
        assertProblem(get("/v1/files?cursor=not-a-cursor", ALICE), 400, "INVALID_ARGUMENT");
    }

    @Test
    void a_patch_renames_and_sets_metadata() {
        String id = saved(ALICE, "draft.txt", "text");

        HttpResponse<String> r = sendJson("PATCH", "/v1/files/" + id, ALICE,
                Map.of("name", "final/report.txt", "metadata", Map.of("project", "apollo")));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r, "name")).isEqualTo("final/report.txt");
        assertThat(field(r, "metadata")).isEqualTo(Map.of("project", "apollo"));
        HttpResponse<String> again = get("/v1/files/" + id, ALICE);
        assertThat(field(again, "name")).isEqualTo("final/report.txt");
        assertThat(get("/v1/files/" + id + "/content", ALICE).headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"report.txt\"");
    }

    @Test
    void a_patch_with_bad_json_or_bad_metadata_changes_nothing() {
        String id = saved(ALICE, "keep.txt", "text");

        HttpResponse<String> malformed = send(request("/v1/files/" + id, ALICE).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\": ")).build());
        HttpResponse<String> notJson = send(request("/v1/files/" + id, ALICE).header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("name=x")).build());
        HttpResponse<String> badMetadata = sendJson("PATCH", "/v1/files/" + id, ALICE,
                Map.of("name", "renamed.txt", "metadata", Map.of("Bad Key!", "v")));

        assertProblem(malformed, 400, "INVALID_ARGUMENT");
        assertProblem(notJson, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(badMetadata, 400, "INVALID_ARGUMENT");
        assertThat(field(get("/v1/files/" + id, ALICE), "name")).isEqualTo("keep.txt");
    }

    @Test
    void a_new_version_with_the_current_etag_is_taken_and_a_stale_one_is_refused() {
        HttpResponse<String> first = upload(ALICE, "doc.txt", "text/plain", "version one");
        String id = id(first);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> second = send(request("/v1/files/" + id + "/content", ALICE).header("If-Match", etag)
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("version two")).build());
        HttpResponse<String> stale = send(request("/v1/files/" + id + "/content", ALICE).header("If-Match", etag)
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("version three")).build());
        HttpResponse<String> unconditional = send(request("/v1/files/" + id + "/content", ALICE)
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("version four")).build());

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(field(second, "version")).isEqualTo(2);
        assertThat(second.headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
        assertProblem(stale, 412, "PRECONDITION_FAILED");
        assertThat(field(unconditional, "version")).isEqualTo(3);
        assertThat(get("/v1/files/" + id + "/content", ALICE).body()).isEqualTo("version four");
        assertThat(list(get("/v1/files/" + id + "/versions", ALICE), "versions")).hasSize(3);
    }

    @Test
    void versions_list_newest_first_and_an_earlier_one_is_restored_by_number_or_id() {
        String id = saved(ALICE, "v.txt", "one");
        send(request("/v1/files/" + id + "/content", ALICE).PUT(HttpRequest.BodyPublishers.ofString("two")).build());

        List<Map<String, Object>> versions = list(get("/v1/files/" + id + "/versions", ALICE), "versions");
        HttpResponse<String> byNumber = send("POST", "/v1/files/" + id + "/versions/1/restore", ALICE);
        HttpResponse<String> byId = send("POST", "/v1/files/" + id + "/versions/" + versions.get(0).get("id") + "/restore", ALICE);

        assertThat(versions).extracting(v -> v.get("version")).containsExactly(2, 1);
        assertThat(versions).extracting(v -> v.get("current")).containsExactly(true, false);
        assertThat(byNumber.statusCode()).as(byNumber.body()).isEqualTo(200);
        assertThat(field(byNumber, "version")).isEqualTo(3);
        assertThat(field(byId, "version")).isEqualTo(4);
        assertThat(get("/v1/files/" + id + "/content", ALICE).body()).isEqualTo("two");
        assertProblem(send("POST", "/v1/files/" + id + "/versions/99/restore", ALICE), 404, "NOT_FOUND");
    }

    @Test
    void a_deleted_file_goes_to_the_trash_comes_back_and_a_purge_frees_its_bytes() {
        String id = saved(ALICE, "gone.txt", "12345");

        HttpResponse<String> deleted = send("DELETE", "/v1/files/" + id, ALICE);
        HttpResponse<String> hidden = get("/v1/files/" + id, ALICE);
        HttpResponse<String> trash = get("/v1/trash", ALICE);
        HttpResponse<String> back = send("POST", "/v1/files/" + id + "/undelete", ALICE);

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertProblem(hidden, 404, "NOT_FOUND");
        assertThat(list(trash, "files")).extracting(f -> f.get("id")).containsExactly(id);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(field(back, "name")).isEqualTo("gone.txt");

        HttpResponse<String> purged = send("DELETE", "/v1/files/" + id + "?purge=true", ALICE);

        assertThat(purged.statusCode()).isEqualTo(204);
        assertThat(list(get("/v1/trash", ALICE), "files")).isEmpty();
        assertThat(field(get("/v1/usage", ALICE), "bytes")).isEqualTo(0);
        assertThat(objectsOnDisk()).noneMatch(p -> p.contains(id));
        assertProblem(send("DELETE", "/v1/files/" + id + "?purge=maybe", ALICE), 400, "INVALID_ARGUMENT");
    }

    @Test
    void usage_counts_the_callers_files_with_null_where_there_is_no_quota() {
        saved(ALICE, "u.txt", "1234567");

        Map<String, Object> free = json(get("/v1/usage", ALICE));
        service.setQuota("alice", Quota.defaults().withMaxBytes(1000).withMaxFiles(10));
        Map<String, Object> limited = json(get("/v1/usage", ALICE));

        assertThat(free).containsEntry("bytes", 7).containsEntry("files", 1)
                .containsEntry("maxBytes", null).containsEntry("maxFiles", null);
        assertThat(limited).containsEntry("maxBytes", 1000).containsEntry("maxFiles", 10);
        assertThat(json(get("/v1/usage", BOB))).containsEntry("bytes", 0).containsEntry("files", 0);
    }

    @Test
    void an_upload_over_the_quota_is_insufficient_storage() {
        service.setQuota("alice", Quota.defaults().withMaxBytes(10));

        assertProblem(upload(ALICE, "big.txt", "text/plain", "more than ten bytes"), 507, "QUOTA_EXCEEDED");
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("bytes", 0);
    }

    @Test
    void a_tier_on_a_backend_without_tiers_is_not_implemented_and_a_bad_tier_a_bad_request() {
        String id = saved(ALICE, "t.txt", "x");

        assertProblem(sendJson("PUT", "/v1/files/" + id + "/tier", ALICE, Map.of("tier", "COLD")), 501, "UNSUPPORTED");
        assertProblem(sendJson("PUT", "/v1/files/" + id + "/tier", ALICE, Map.of("tier", "LUKEWARM")), 400, "INVALID_ARGUMENT");
        assertProblem(sendJson("PUT", "/v1/files/" + id + "/tier", ALICE, Map.of()), 400, "INVALID_ARGUMENT");
    }

    @Test
    void another_owners_id_is_not_found_on_every_route() {
        String id = saved(ALICE, "alice.txt", "alice's");
        String tokenRoute = "/v1/links/{token}";

        for (Routes.Route route : server.routes()) {
            if (!route.path().contains("{id}") || route.path().startsWith("/admin/")) {
                continue; // an admin route's ids are no owner's: AdminSpec tests them
            }
            String path = route.path().replace("{id}", id).replace("{version}", "1");
            boolean tus = route.path().startsWith("/v1/uploads/tus");
            boolean takesJson = !tus && (route.method() == HandlerType.PATCH || route.path().endsWith("/tier")
                    || route.path().endsWith("/links"));
            HttpResponse<String> r = takesJson
                    ? sendJson(route.method().name(), path, BOB, Map.of("name", "x", "tier", "COLD", "ttlSeconds", 60))
                    : send(tusHeaders(request(path, BOB), tus).method(route.method().name(),
                            HttpRequest.BodyPublishers.ofString("bob")).build());
            assertThat(r.statusCode()).as(route + ": " + r.body()).isEqualTo(404);
            if (route.method() != HandlerType.HEAD) {
                assertThat(field(r, "kind")).as(route.toString()).isEqualTo("NOT_FOUND");
                assertThat((String) field(r, "detail")).as(route + ": the file is missing, not the route")
                        .doesNotContain("no such route");
            }
        }
        assertThat(server.routes()).extracting(Routes.Route::path).contains(tokenRoute);
        assertThat(get("/v1/files/" + id + "/content", ALICE).body()).isEqualTo("alice's");
        assertThat(list(get("/v1/trash", ALICE), "files")).isEmpty();
    }

    @Test
    void a_read_only_key_is_forbidden_on_every_write_route_and_no_key_unauthorized_on_every_secured_one() {
        String id = saved(ALICE, "ro.txt", "read me");

        for (Routes.Route route : server.routes()) {
            if (route.scope().isEmpty()) {
                continue;
            }
            String path = route.path().replace("{id}", id).replace("{version}", "1").replace("{owner}", "alice")
                    .replace("{job}", "scrub");
            HttpResponse<String> none = send(request(path, null).method(route.method().name(), HttpRequest.BodyPublishers.noBody()).build());
            assertThat(none.statusCode()).as(route.toString()).isEqualTo(401);
            if (route.scope().get() == io.stowage.service.auth.Scope.WRITE) {
                HttpResponse<String> r = send(tusHeaders(request(path, ALICE_READ_ONLY),
                        route.path().startsWith("/v1/uploads/tus")).method(route.method().name(),
                        HttpRequest.BodyPublishers.ofString("overwrite")).build());
                if (route.method() == HandlerType.HEAD) {
                    assertThat(r.statusCode()).as(route.toString()).isEqualTo(403); // a HEAD answer has no body
                } else {
                    assertProblem(r, 403, "PERMISSION_DENIED");
                }
            }
        }
        assertThat(get("/v1/files/" + id + "/content", ALICE).body()).isEqualTo("read me");
        assertThat(get("/v1/files/" + id, ALICE_READ_ONLY).statusCode()).isEqualTo(200);
    }

    /** The headers a tus client sends with every call (a call without them is refused before the session is looked up). */
    private static HttpRequest.Builder tusHeaders(HttpRequest.Builder b, boolean tus) {
        return tus ? b.header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream") : b;
    }
}
