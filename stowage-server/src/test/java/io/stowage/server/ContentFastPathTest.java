package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The plain reads of a file's content that {@link ContentFastPath} answers in front of Javalin (decision 0086) answer
 * what the Javalin route answers: the same request with {@code ?disposition=attachment} (the default, so the same
 * answer) goes through Javalin, and the two are compared header by header. Whatever the path does not take reaches
 * Javalin unchanged.
 */
class ContentFastPathTest extends OpsTestBase.OnSqlite {

    /** Headers whose values differ from one answer to the next whoever writes them. */
    private static final List<String> OWN_PER_ANSWER = List.of("date", "x-request-id");

    @Test
    void a_plain_read_or_head_is_answered_in_front_of_javalin_exactly_as_javalin_answers_it() {
        String[][] files = {
            {"a.txt", "text/plain", "hello"},
            {"b.bin", "application/octet-stream", "\u0001\u0002 bytes"},
            {"c.html", "text/html; charset=iso-8859-1", "<p>caf\u00e9</p>"},
            {"d.json", "application/json", "{\"a\": 1}"},
            {"e.txt", "text/plain", ""},
        };
        for (String[] f : files) {
            String content = "/v1/files/" + field(upload(ALICE, f[0], f[1], f[2]), "id") + "/content";
            for (String method : List.of("GET", "HEAD")) {
                long before = server.fastPathAnswers();
                HttpResponse<String> fast = send(request(content, ALICE).method(method, HttpRequest.BodyPublishers.noBody()).build());
                assertThat(server.fastPathAnswers()).as("%s %s answered in front", method, f[0]).isEqualTo(before + 1);
                HttpResponse<String> javalin = send(request(content + "?disposition=attachment", ALICE)
                        .method(method, HttpRequest.BodyPublishers.noBody()).build());
                assertThat(server.fastPathAnswers()).as("with a query, Javalin's").isEqualTo(before + 1);

                assertThat(fast.statusCode()).isEqualTo(200).isEqualTo(javalin.statusCode());
                assertThat(fast.body()).isEqualTo(method.equals("GET") ? f[2] : "").isEqualTo(javalin.body());
                assertThat(headers(fast)).as("%s %s", method, f[0]).isEqualTo(headers(javalin));
                assertThat(fast.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).isNotEmpty());
            }
        }
    }

    @Test
    void a_missing_file_or_another_owners_is_the_same_problem_on_both_paths() {
        String alices = "/v1/files/" + field(upload(ALICE, "a.txt", "text/plain", "hello"), "id") + "/content";
        String none = "/v1/files/" + "0".repeat(26) + "/content";
        for (String[] asked : new String[][] {{alices, BOB}, {none, ALICE}}) {
            long before = server.fastPathAnswers();
            HttpResponse<String> fast = get(asked[0], asked[1]);
            assertThat(server.fastPathAnswers()).isEqualTo(before + 1);
            HttpResponse<String> javalin = get(asked[0] + "?disposition=attachment", asked[1]);

            assertThat(fast.statusCode()).isEqualTo(404).isEqualTo(javalin.statusCode());
            assertThat(headers(fast)).isEqualTo(headers(javalin));
            assertThat(field(fast, "kind")).isEqualTo("NOT_FOUND");
            assertThat(field(fast, "correlationId")).isEqualTo(fast.headers().firstValue("X-Request-Id").orElseThrow());
            assertThat(withoutCorrelation(fast.body())).isEqualTo(withoutCorrelation(javalin.body()));
        }
    }

    @Test
    void a_well_formed_request_id_is_kept_and_a_malformed_one_replaced() {
        String content = "/v1/files/" + field(upload(ALICE, "a.txt", "text/plain", "hello"), "id") + "/content";

        HttpResponse<String> kept = send(request(content, ALICE).header("X-Request-Id", "req-42").GET().build());
        HttpResponse<String> replaced = send(request(content, ALICE).header("X-Request-Id", "bad id!").GET().build());

        assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("req-42");
        assertThat(replaced.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).isNotEqualTo("bad id!").hasSize(36));
    }

    @Test
    void ranges_conditions_origins_queries_and_failed_credentials_go_to_javalin() {
        HttpResponse<String> saved = upload(ALICE, "a.txt", "text/plain", "0123456789");
        String content = "/v1/files/" + field(saved, "id") + "/content";
        String etag = saved.headers().firstValue("ETag").orElseThrow();
        long before = server.fastPathAnswers();

        HttpResponse<String> range = send(request(content, ALICE).header("Range", "bytes=2-4").GET().build());
        HttpResponse<String> notModified = send(request(content, ALICE).header("If-None-Match", etag).GET().build());
        HttpResponse<String> inline = get(content + "?disposition=inline", ALICE);
        HttpResponse<String> noKey = get(content, null);
        HttpResponse<String> badKey = get(content, "no-such-key");
        HttpResponse<String> trailingSlash = get(content + "/", ALICE);

        assertThat(server.fastPathAnswers()).isEqualTo(before);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("234");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(inline.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("inline"));
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(badKey.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(trailingSlash.statusCode()).isEqualTo(200);
        assertThat(trailingSlash.body()).isEqualTo("0123456789");
    }

    @Test
    void its_reads_are_counted_under_the_routes_template_with_their_status() {
        String content = "/v1/files/" + field(upload(ALICE, "a.txt", "text/plain", "hello"), "id") + "/content";
        get(content, ALICE);
        get(content, ALICE);
        send(request(content, ALICE).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        get(content, BOB);

        String text = get("/metrics", ADMIN).body();

        String route = "route=\"/v1/files/{id}/content\"";
        assertThat(text).contains("http_server_requests_seconds_count{method=\"GET\"," + route + ",status=\"200\"} 2");
        assertThat(text).contains("http_server_requests_seconds_count{method=\"HEAD\"," + route + ",status=\"200\"} 1");
        assertThat(text).contains("http_server_requests_seconds_count{method=\"GET\"," + route + ",status=\"404\"} 1");
    }

    @Test
    void a_plain_upload_is_answered_in_front_of_javalin_exactly_as_javalin_answers_it() {
        // name (as sent in the query), Content-Type (null: none), body
        String[][] uploads = {
            {"a.txt", "text/plain", "hello"},
            {"caf%C3%A9+menu%2B1.txt", "text/plain; charset=utf-8", "caf\u00e9"},
            {"b.bin", null, "\u0001\u0002 bytes"},
            {"c.csv", "text/csv", "a,b\n1,2\n"},
            {"page.html", "text/plain", "<html><body>hi</body></html>"},
            {"empty", "application/octet-stream", ""},
        };
        for (String[] u : uploads) {
            long before = server.fastPathAnswers();
            HttpResponse<String> fast = post("/v1/files?name=" + u[0], u[1], u[2]);
            assertThat(server.fastPathAnswers()).as("%s answered in front", u[0]).isEqualTo(before + 1);
            // A query parameter more (which the route ignores) leaves it to Javalin.
            HttpResponse<String> javalin = post("/v1/files?name=" + u[0] + "&unused=1", u[1], u[2]);
            assertThat(server.fastPathAnswers()).as("with another parameter, Javalin's").isEqualTo(before + 1);

            assertThat(fast.statusCode()).as(fast.body()).isEqualTo(201).isEqualTo(javalin.statusCode());
            assertThat(headers(fast).keySet()).isEqualTo(headers(javalin).keySet());
            Map<String, List<String>> same = headers(fast);
            same.remove("location");
            Map<String, List<String>> javalins = headers(javalin);
            javalins.remove("location");
            assertThat(same).as(u[0]).isEqualTo(javalins);
            assertThat(fast.headers().firstValue("Location")).hasValue("/v1/files/" + field(fast, "id"));
            assertThat(record(fast)).isEqualTo(record(javalin));
            HttpResponse<String> stored = get("/v1/files/" + field(fast, "id") + "/content", ALICE);
            assertThat(stored.body()).isEqualTo(u[2]);
            assertThat(stored.headers().firstValue("Content-Type")).isEqualTo(
                    get("/v1/files/" + field(javalin, "id") + "/content", ALICE).headers().firstValue("Content-Type"));
        }
    }

    @Test
    void a_refused_upload_is_the_same_problem_on_both_paths_and_stores_nothing() {
        // A name without a visible character, and one over the longest name.
        long files = filesOf(ALICE);
        for (String query : List.of("name=%01%02", "name=" + "n".repeat(1100))) {
            long before = server.fastPathAnswers();
            HttpResponse<String> fast = post("/v1/files?" + query, "text/plain", "x");
            assertThat(server.fastPathAnswers()).isEqualTo(before + 1);
            HttpResponse<String> javalin = post("/v1/files?" + query + "&unused=1", "text/plain", "x");

            assertThat(fast.statusCode()).isEqualTo(400).isEqualTo(javalin.statusCode());
            assertThat(headers(fast)).isEqualTo(headers(javalin));
            assertThat(withoutCorrelation(fast.body())).isEqualTo(withoutCorrelation(javalin.body()));
            assertThat(field(fast, "correlationId")).isEqualTo(fast.headers().firstValue("X-Request-Id").orElseThrow());
        }
        assertThat(filesOf(ALICE)).isEqualTo(files);
    }

    @Test
    void uploads_javalin_must_answer_go_to_it_unchanged() {
        long before = server.fastPathAnswers();

        HttpResponse<String> noName = post("/v1/files", "text/plain", "x");
        HttpResponse<String> blankName = post("/v1/files?name=+", "text/plain", "x");
        HttpResponse<String> noKey = send(request("/v1/files?name=a.txt", null).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        HttpResponse<String> readOnly = send(request("/v1/files?name=a.txt", ALICE_READ_ONLY)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build());
        HttpResponse<String> chunked = send(request("/v1/files?name=chunked.txt", ALICE)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        "chunks".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build());
        HttpResponse<String> multipart = send(request("/v1/files?name=form.txt", ALICE)
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"f.txt\"\r\nContent-Type: text/plain\r\n\r\nform\r\n--b--\r\n")).build());
        HttpResponse<String> withOrigin = send(request("/v1/files?name=origin.txt", ALICE)
                .header("Origin", "https://a.example").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("o")).build());

        assertThat(server.fastPathAnswers()).isEqualTo(before);
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(blankName.statusCode()).isEqualTo(400);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(readOnly.statusCode()).isEqualTo(403);
        assertThat(chunked.statusCode()).isEqualTo(201);
        assertThat(multipart.statusCode()).isEqualTo(201);
        assertThat(field(multipart, "name")).isEqualTo("form.txt");
        assertThat(withOrigin.statusCode()).isEqualTo(201);
    }

    @Test
    void its_uploads_are_counted_under_the_routes_template_with_their_status() {
        post("/v1/files?name=a.txt", "text/plain", "a");
        post("/v1/files?name=b.txt", "text/plain", "b");
        post("/v1/files?name=%01", "text/plain", "c");

        String text = get("/metrics", ADMIN).body();

        String route = "route=\"/v1/files\"";
        assertThat(text).contains("http_server_requests_seconds_count{method=\"POST\"," + route + ",status=\"201\"} 2");
        assertThat(text).contains("http_server_requests_seconds_count{method=\"POST\"," + route + ",status=\"400\"} 1");
    }

    private HttpResponse<String> post(String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder b = request(pathAndQuery, ALICE).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    /** A file record without what differs from one file to the next. */
    private static Map<String, Object> record(HttpResponse<String> r) {
        try {
            Map<String, Object> json = new TreeMap<>(
                    new com.fasterxml.jackson.databind.ObjectMapper().readValue(r.body(), Map.class));
            for (String own : List.of("id", "versionId", "createdAt", "updatedAt")) {
                assertThat(json.remove(own)).as(own).isNotNull();
            }
            return json;
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private long filesOf(String key) {
        return ((Number) field(get("/v1/usage", key), "files")).longValue();
    }

    private static Map<String, List<String>> headers(HttpResponse<String> r) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(r.headers().map());
        OWN_PER_ANSWER.forEach(h::remove);
        return h;
    }

    private static String withoutCorrelation(String problem) {
        return problem.replaceAll("\"correlationId\":\"[^\"]*\"", "");
    }
}
