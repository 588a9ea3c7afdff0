package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stowage.ErrorKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The admin API over real HTTP with real API keys: each route's good path, its refusals (a user key 403, no key
 * 401, bad bodies 400, unknown ids 404, all problem+json), the audit entries it leaves with the admin as actor,
 * and no configured secret in any answer.
 */
abstract class AdminSpec extends AdminTestBase {

    private static final String HOOK_SECRET = "whsec-0123456789-never-shown";

    HttpResponse<String> call(String method, String path, String key, Object body) {
        return body == null ? send(method, path, key) : sendJson(method, path, key, body);
    }

    HttpResponse<String> raw(String method, String path, String body) {
        return send(request(path, admin).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The audit entries of {@code action} (all of them, in one page). */
    List<Map<String, Object>> audited(String action) {
        HttpResponse<String> r = get("/admin/audit?action=" + action + "&limit=1000", admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return list(r, "entries");
    }

    @Test
    void every_admin_route_refuses_a_user_key_with_403_and_no_key_with_401() {
        List<Routes.Route> adminRoutes = server.routes().stream().filter(r -> r.path().startsWith("/admin")).toList();
        assertThat(adminRoutes).hasSizeGreaterThanOrEqualTo(24);
        for (Routes.Route route : adminRoutes) {
            String path = route.path().replace("{owner}", "alice").replace("{id}", "1").replace("{job}", "scrub");
            String method = route.method().name();

            HttpResponse<String> user = call(method, path, alice, null);
            HttpResponse<String> none = call(method, path, null, null);

            assertThat(route.scope()).as(method + " " + path).hasValue(io.stowage.service.auth.Scope.ADMIN);
            assertProblem(user, 403, "PERMISSION_DENIED");
            assertProblem(none, 401, "UNAUTHENTICATED");
        }
    }

    @Test
    void the_storage_view_names_types_backends_roles_health_and_masks_every_secret() {
        HttpResponse<String> r = get("/admin/storage", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> body = json(r);
        assertThat((List<Map<String, Object>>) body.get("types")).extracting(t -> t.get("type")).contains("flaky", "memory");
        assertThat((List<Map<String, Object>>) body.get("backends")).extracting(b -> b.get("name"))
                .contains("main", "spare");
        Map<String, Object> routing = (Map<String, Object>) body.get("routing");
        assertThat(routing).containsEntry("primary", "main").containsEntry("fallback", List.of("spare"));
        Map<String, Object> spare = ((List<Map<String, Object>>) body.get("routed")).stream()
                .filter(b -> b.get("name").equals("spare")).findFirst().orElseThrow();
        assertThat((Map<String, Object>) spare.get("settings")).containsEntry("access_token", "****here")
                .containsEntry("secret_key", "****hown");
        assertThat(spare.get("layers")).asString().contains("maxAttempts");
        Map<String, Object> health = (Map<String, Object>) body.get("health");
        assertThat(health).containsEntry("primary", "main").containsKey("overall");
        Map<String, Object> backends = (Map<String, Object>) health.get("backends");
        assertThat((Map<String, Object>) backends.get("main")).containsEntry("state", "up").containsKey("circuit");
        assertThat((Map<String, Object>) backends.get("spare")).containsEntry("state", "up");
        assertNoSecret(r);
        assertThat(r.body()).contains("example.com");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void a_quota_set_before_the_owner_has_a_file_holds_its_first_saves() {
        String carol = newKey("carol", "[\"read\", \"write\"]");

        HttpResponse<String> set = sendJson("PUT", "/admin/owners/carol/quota", admin,
                new HashMap<>(Map.of("maxBytes", 10)));
        HttpResponse<String> tooBig = upload(carol, "big.txt", "text/plain", "more than ten bytes");
        HttpResponse<String> fits = upload(carol, "small.txt", "text/plain", "tiny");

        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set)).containsEntry("owner", "carol").containsEntry("maxBytes", 10).containsEntry("maxFiles", null);
        assertThat(json(get("/admin/owners/carol/quota", admin))).containsEntry("maxBytes", 10);
        assertProblem(tooBig, 507, "QUOTA_EXCEEDED");
        assertThat(fits.statusCode()).isEqualTo(201);
        assertThat(json(get("/admin/owners/carol/usage", admin))).containsEntry("owner", "carol")
                .containsEntry("bytes", 4).containsEntry("files", 1).containsEntry("maxBytes", 10);

        Map<String, Object> none = new HashMap<>();
        none.put("maxBytes", null);
        HttpResponse<String> cleared = sendJson("PUT", "/admin/owners/carol/quota", admin, none);
        assertThat(json(cleared)).containsEntry("maxBytes", null);
        assertThat(upload(carol, "big.txt", "text/plain", "more than ten bytes").statusCode()).isEqualTo(201);
        assertThat(audited("quota.set")).extracting(e -> e.get("actor")).containsOnly(adminId);
    }

    @Test
    void a_quota_that_is_not_one_is_400_and_audited_as_refused() {
        assertProblem(raw("PUT", "/admin/owners/carol/quota", "{\"maxBytes\": \"ten\"}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/owners/carol/quota", "{\"maxBytes\": -1}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/owners/carol/quota", "{\"maxbytes\": 1}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/owners/carol/quota", "{not json"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/owners/carol/quota", "[1]"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/owners/-carol/quota", "{\"maxBytes\": 1}"), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/owners/-carol/usage", admin), 400, "INVALID_ARGUMENT");

        List<Map<String, Object>> refused = audited("admin.owner.quota_set");
        assertThat(refused).hasSize(6).allSatisfy(e -> {
            assertThat(e).containsEntry("actor", adminId).containsEntry("outcome", "INVALID_ARGUMENT");
        });
        assertThat(refused.getLast()).containsEntry("target", "owner:-carol");
        assertThat(audited("quota.set")).isEmpty();
    }

    @Test
    void stats_count_every_owner_backend_tier_and_segment() {
        saved(alice, "a.txt", "alice's");
        saved(alice, "b.txt", "more of alice's");
        String bob = newKey("bob", "[\"write\"]");
        saved(bob, "c.txt", "bob's");

        HttpResponse<String> r = get("/admin/stats", admin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> body = json(r);
        assertThat(body.get("total")).isEqualTo(Map.of("files", 3, "bytes", 27));
        assertThat((Map<String, Object>) body.get("byOwner")).containsEntry("alice", Map.of("files", 2, "bytes", 22))
                .containsEntry("bob", Map.of("files", 1, "bytes", 5));
        assertThat((Map<String, Object>) body.get("byBackend")).containsEntry("main", Map.of("files", 3, "bytes", 27));
        assertThat(body).containsKeys("byTier", "bySegment");
        assertThat(audited("admin.stats.view")).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("actor", adminId).containsEntry("target", "stats").containsEntry("outcome", "ok"));
    }

    @Test
    void erasing_an_owner_leaves_nothing_of_it_and_answers_204_even_for_an_owner_without_files() {
        String id = saved(alice, "gone.txt", "personal data");
        String trashed = saved(alice, "trashed.txt", "old");
        assertThat(send("DELETE", "/v1/files/" + trashed, alice).statusCode()).isEqualTo(204);
        assertThat(list(get("/admin/owners/alice/trash", admin), "files")).extracting(f -> f.get("id"))
                .containsExactly(trashed);

        HttpResponse<String> erased = send("DELETE", "/admin/owners/alice", admin);
        HttpResponse<String> nobody = send("DELETE", "/admin/owners/nobody", admin);

        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(204);
        assertThat(nobody.statusCode()).isEqualTo(204);
        // Erasure revokes the owner's keys (decision 0049): alice's own key no longer reaches anything.
        assertThat(get("/v1/files/" + id, alice).statusCode()).isEqualTo(401);
        assertThat(service.list("alice", "", null, 10).files()).isEmpty();
        assertThat(json(get("/admin/owners/alice/usage", admin))).containsEntry("files", 0).containsEntry("bytes", 0);
        assertThat(list(get("/admin/owners/alice/trash", admin), "files")).isEmpty();
        assertThat(audited("owner.erase")).extracting(e -> e.get("actor")).containsExactly(adminId, adminId);
        assertProblem(send("DELETE", "/admin/owners/-alice", admin), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/owners/-alice/trash", admin), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/owners/alice/trash?limit=0", admin), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/owners/alice/trash?cursor=nope", admin), 400, "INVALID_ARGUMENT");
    }

    @Test
    void the_audit_log_filters_pages_and_refuses_what_is_not_a_query() {
        get("/admin/stats", admin);
        get("/admin/storage", admin);
        get("/admin/stats", admin);

        List<Map<String, Object>> mine = list(get("/admin/audit?actor=" + adminId + "&action=admin.stats.view", admin),
                "entries");
        HttpResponse<String> first = get("/admin/audit?actor=" + adminId + "&limit=1", admin);
        String cursor = (String) field(first, "nextCursor");
        HttpResponse<String> second = get("/admin/audit?actor=" + adminId + "&limit=1&cursor=" + cursor, admin);
        HttpResponse<String> storage = get("/admin/audit?target=storage&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z", admin);
        HttpResponse<String> past = get("/admin/audit?target=storage&to=2001-01-01T00:00:00Z", admin);

        assertThat(mine).hasSize(2).allSatisfy(e -> assertThat(e).containsEntry("actor", adminId)
                .containsEntry("action", "admin.stats.view").containsKeys("id", "at", "correlationId", "clientAddress"));
        assertThat(cursor).isNotNull();
        assertThat(list(second, "entries")).singleElement().satisfies(e -> assertThat(e.get("id"))
                .isNotEqualTo(list(first, "entries").get(0).get("id")));
        assertThat(list(storage, "entries")).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("action", "admin.storage.view"));
        assertThat(list(past, "entries")).isEmpty();
        assertProblem(get("/admin/audit?from=yesterday", admin), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/audit?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", admin), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/audit?limit=0", admin), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/audit?limit=many", admin), 400, "INVALID_ARGUMENT");
        assertProblem(get("/admin/audit?cursor=nope", admin), 400, "INVALID_ARGUMENT");
        assertThat(audited("admin.audit.view")).extracting(e -> e.get("outcome")).contains("ok", "INVALID_ARGUMENT");
    }

    @Test
    void a_webhook_hears_events_shows_its_deliveries_redelivers_and_never_answers_its_secret() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            HttpResponse<String> made = sendJson("POST", "/admin/webhooks", admin,
                    Map.of("url", url, "secret", HOOK_SECRET, "events", List.of("*")));
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            String hook = (String) field(made, "id");
            assertThat(field(made, "secret")).isEqualTo("****hown");
            HttpResponse<String> listed = get("/admin/webhooks", admin);
            assertThat(list(listed, "webhooks")).singleElement().satisfies(w -> assertThat(w)
                    .containsEntry("id", hook).containsEntry("url", url).containsEntry("events", List.of("*")));

            saved(alice, "heard.txt", "an event");
            Map<String, Object> delivered = awaitDelivery(hook, d -> "delivered".equals(d.get("state")));
            HttpResponse<String> again = send("POST", "/admin/webhooks/deliveries/" + delivered.get("id") + "/redeliver", admin);

            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
            assertThat(json(again)).containsEntry("eventId", delivered.get("eventId")).containsEntry("webhookId", hook);
            assertThat(list(get("/admin/webhooks/" + hook + "/deliveries", admin), "deliveries")).hasSize(2);
            assertThat(received.get()).isGreaterThanOrEqualTo(1);
            for (HttpResponse<String> r : List.of(made, listed, again, get("/admin/webhooks/" + hook + "/deliveries", admin))) {
                assertNoSecret(r);
                assertThat(r.body()).doesNotContain(HOOK_SECRET);
            }
            assertThat(send("DELETE", "/admin/webhooks/" + hook, admin).statusCode()).isEqualTo(204);
            assertProblem(send("DELETE", "/admin/webhooks/" + hook, admin), 404, "NOT_FOUND");
            assertProblem(get("/admin/webhooks/" + hook + "/deliveries", admin), 404, "NOT_FOUND");
            assertThat(audited("webhook.register")).extracting(e -> e.get("actor")).containsExactly(adminId);
            assertThat(audited("webhook.redeliver")).extracting(e -> e.get("actor")).containsExactly(adminId);
            assertThat(audited("webhook.remove")).extracting(e -> e.get("actor")).containsExactly(adminId);
        } finally {
            receiver.stop(0);
        }
    }

    private Map<String, Object> awaitDelivery(String hook, Predicate<Map<String, Object>> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Map<String, Object>> deliveries = list(get("/admin/webhooks/" + hook + "/deliveries", admin), "deliveries");
            for (Map<String, Object> d : deliveries) {
                if (wanted.test(d)) {
                    return d;
                }
            }
            assertThat(System.nanoTime()).as("a delivery in time: " + deliveries).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void a_webhook_that_is_not_one_is_400_and_unknown_deliveries_404() {
        Map<String, Object> good = Map.of("url", "https://hooks.example.com/x", "secret", HOOK_SECRET, "events", List.of("*"));
        List<Map<String, Object>> bad = new ArrayList<>();
        for (String field : List.of("url", "secret", "events")) {
            Map<String, Object> without = new HashMap<>(good);
            without.remove(field);
            bad.add(without);
        }
        bad.add(withField(good, "url", "ftp://hooks.example.com/x"));
        bad.add(withField(good, "url", "https://user:pw@hooks.example.com/x"));
        bad.add(withField(good, "secret", "short"));
        bad.add(withField(good, "events", List.of("file.nonsense")));
        bad.add(withField(good, "events", List.of()));
        bad.add(withField(good, "events", List.of(1)));
        bad.add(withField(good, "url", 7));

        for (Map<String, Object> body : bad) {
            HttpResponse<String> r = sendJson("POST", "/admin/webhooks", admin, body);
            assertProblem(r, 400, "INVALID_ARGUMENT");
            assertThat(r.body()).doesNotContain(HOOK_SECRET);
        }
        assertProblem(raw("POST", "/admin/webhooks", "{"), 400, "INVALID_ARGUMENT");
        assertProblem(send("POST", "/admin/webhooks/deliveries/99999/redeliver", admin), 404, "NOT_FOUND");
        assertProblem(send("POST", "/admin/webhooks/deliveries/abc/redeliver", admin), 404, "NOT_FOUND");
        assertProblem(get("/admin/webhooks/nope/deliveries", admin), 404, "NOT_FOUND");
        assertThat(list(get("/admin/webhooks", admin), "webhooks")).isEmpty();
        assertThat(audited("admin.webhook.register")).hasSize(bad.size() + 1)
                .allSatisfy(e -> assertThat(e).containsEntry("outcome", "INVALID_ARGUMENT").containsEntry("actor", adminId));
    }

    private static Map<String, Object> withField(Map<String, Object> body, String field, Object value) {
        Map<String, Object> out = new HashMap<>(body);
        out.put(field, value);
        return out;
    }

    @Test
    void a_failed_purge_is_listed_retried_by_the_admin_and_another_dismissed() {
        String id = saved(alice, "stuck.txt", "cannot go yet");
        String other = saved(alice, "other.txt", "nor this one");
        primaryFaults().failNext(1, ErrorKind.INTERNAL);
        assertThat(send("DELETE", "/v1/files/" + id + "?purge=true", alice).statusCode()).isEqualTo(500);

        HttpResponse<String> listed = get("/admin/failed-operations", admin);

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        Map<String, Object> failed = list(listed, "operations").stream()
                .filter(op -> ("file:" + id).equals(op.get("target"))).findFirst().orElseThrow();
        assertThat(failed).containsEntry("operation", "file.purge").containsEntry("retryable", true)
                .containsEntry("owner", "alice").containsEntry("kind", "INTERNAL");
        HttpResponse<String> retried = send("POST", "/admin/failed-operations/" + failed.get("id") + "/retry", admin);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(204);
        assertThat(get("/v1/files/" + id, alice).statusCode()).isEqualTo(404);
        assertThat(list(get("/admin/failed-operations", admin), "operations")).extracting(op -> op.get("target"))
                .doesNotContain("file:" + id);
        assertThat(audited("failed_operation.retry")).singleElement().satisfies(e -> assertThat(e)
                .containsEntry("actor", adminId).containsEntry("outcome", "ok"));

        primaryFaults().failNext(1, ErrorKind.INTERNAL);
        assertThat(send("DELETE", "/v1/files/" + other + "?purge=true", alice).statusCode()).isEqualTo(500);
        Object second = list(get("/admin/failed-operations", admin), "operations").stream()
                .filter(op -> ("file:" + other).equals(op.get("target"))).findFirst().orElseThrow().get("id");
        assertThat(send("DELETE", "/admin/failed-operations/" + second, admin).statusCode()).isEqualTo(204);
        assertProblem(send("DELETE", "/admin/failed-operations/" + second, admin), 404, "NOT_FOUND");
        assertProblem(send("POST", "/admin/failed-operations/" + second + "/retry", admin), 404, "NOT_FOUND");
        assertProblem(send("POST", "/admin/failed-operations/abc/retry", admin), 404, "NOT_FOUND");
        assertProblem(get("/admin/failed-operations?limit=0", admin), 400, "INVALID_ARGUMENT");
        assertThat(list(get("/admin/failed-operations", admin), "operations")).isEmpty();
        assertThat(audited("failed_operation.dismiss")).extracting(e -> e.get("actor")).containsExactly(adminId);
    }

    @Test
    void rotating_the_signing_key_makes_a_new_one_that_signs_links_and_shows_no_secret() {
        String id = saved(alice, "linked.txt", "shared");
        HttpResponse<String> rotated = send("POST", "/admin/signing-keys/rotate", admin);

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        assertThat(json(rotated)).containsOnlyKeys("id", "created", "retired").containsEntry("retired", null);
        HttpResponse<String> keys = get("/admin/signing-keys", admin);
        assertThat(list(keys, "keys").getLast()).containsEntry("id", field(rotated, "id"));
        HttpResponse<String> link = sendJson("POST", "/v1/files/" + id + "/links", alice, Map.of("ttlSeconds", 60));
        assertThat(link.statusCode()).as(link.body()).isBetween(200, 201);
        assertThat(get(java.net.URI.create((String) field(link, "url")).getRawPath(), null).body()).isEqualTo("shared");
        assertThat(audited("signing_key.rotate")).extracting(e -> e.get("actor")).containsExactly(adminId);
        assertNoSecret(rotated);
        assertNoSecret(keys);
    }

    @Test
    void retention_policies_are_set_listed_applied_dry_and_for_real_and_removed() {
        String id = saved(alice, "versions.txt", "one");
        HttpResponse<String> replaced = send(request("/v1/files/" + id + "/content", alice).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("two")).build());
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);

        HttpResponse<String> global = sendJson("PUT", "/admin/retention", admin, Map.of("maxVersions", 1));
        HttpResponse<String> own = sendJson("PUT", "/admin/retention?owner=bob", admin,
                Map.of("maxVersions", 3, "maxAge", "P30D", "trashRetention", "1d"));
        HttpResponse<String> dry = send("POST", "/admin/retention/apply?dryRun=true", admin);
        HttpResponse<String> real = send("POST", "/admin/retention/apply?dryRun=false", admin);

        assertThat(json(global)).containsEntry("owner", null).containsEntry("maxVersions", 1).containsEntry("maxAge", null);
        assertThat(json(own)).containsEntry("owner", "bob").containsEntry("maxAge", "PT720H")
                .containsEntry("trashRetention", "PT24H");
        assertThat(list(get("/admin/retention", admin), "policies")).extracting(p -> p.get("owner"))
                .containsExactly(null, "bob");
        assertThat(json(dry)).containsEntry("dryRun", true).containsEntry("bytesFreed", 3);
        assertThat(list(dry, "removals")).singleElement().satisfies(r -> assertThat(r).containsEntry("owner", "alice")
                .containsEntry("fileId", id).containsEntry("rule", "MAX_VERSIONS"));
        assertThat(json(real)).containsEntry("dryRun", false).containsEntry("bytesFreed", 3).containsEntry("failed", 0);
        assertThat(list(send("POST", "/admin/retention/apply?dryRun=false", admin), "removals")).isEmpty();
        assertThat(get("/v1/files/" + id + "/content", alice).body()).isEqualTo("two");

        assertThat(send("DELETE", "/admin/retention?owner=bob", admin).statusCode()).isEqualTo(204);
        assertProblem(send("DELETE", "/admin/retention?owner=bob", admin), 404, "NOT_FOUND");
        assertThat(send("DELETE", "/admin/retention", admin).statusCode()).isEqualTo(204);
        assertThat(list(get("/admin/retention", admin), "policies")).isEmpty();
        assertThat(audited("retention.set")).extracting(e -> e.get("actor")).containsExactly(adminId, adminId);
        assertThat(audited("retention.remove")).extracting(e -> e.get("actor")).containsExactly(adminId, adminId);
        assertThat(audited("admin.retention.apply")).extracting(e -> e.get("actor")).containsExactly(adminId, adminId, adminId);
    }

    @Test
    void a_retention_policy_that_is_not_one_is_400() {
        assertProblem(raw("PUT", "/admin/retention", "{\"maxVersions\": 0}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/retention", "{\"maxVersions\": \"two\"}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/retention", "{\"maxAge\": \"soon\"}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/retention", "{\"maxAge\": 30}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/retention", "{\"trashRetention\": \"-P1D\"}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/retention", "{\"keep\": 1}"), 400, "INVALID_ARGUMENT");
        assertProblem(raw("PUT", "/admin/retention?owner=-bob", "{\"maxVersions\": 1}"), 400, "INVALID_ARGUMENT");
        assertProblem(send("POST", "/admin/retention/apply?dryRun=maybe", admin), 400, "INVALID_ARGUMENT");
        assertThat(list(get("/admin/retention", admin), "policies")).isEmpty();
    }
}
