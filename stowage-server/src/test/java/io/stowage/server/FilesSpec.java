package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

abstract class FilesSpec extends ServerTestBase {

    @Test
    void an_upload_answers_201_with_the_record_and_its_location() {
        HttpResponse<String> r = upload(ALICE, "notes/today.txt", "text/plain", "hello, stowage");

        assertThat(r.statusCode()).isEqualTo(201);
        String id = (String) field(r, "id");
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/files/" + id);
        assertThat(field(r, "name")).isEqualTo("notes/today.txt");
        assertThat(field(r, "size")).isEqualTo(14);
        assertThat(field(r, "contentType")).isEqualTo("text/plain");
        assertThat(field(r, "sha256")).asString().hasSize(64);
    }

    @Test
    void a_file_record_says_its_tier_and_its_segment() {
        HttpResponse<String> uploaded = upload(ALICE, "a.txt", "text/plain", "plain");
        io.stowage.service.FileRecord avatar = service.save("alice", "me.png",
                io.stowage.BlobContent.ofUtf8("not really a png"),
                io.stowage.service.SaveOptions.builder().segment("avatars").build());

        HttpResponse<String> r = get("/v1/files/" + avatar.id(), ALICE);

        assertThat(field(uploaded, "tier")).isEqualTo("HOT");
        assertThat(field(uploaded, "segment")).isNull();
        assertThat(uploaded.body()).contains("\"segment\":null");
        assertThat(field(r, "tier")).isEqualTo("HOT");
        assertThat(field(r, "segment")).isEqualTo("avatars");
    }

    @Test
    void content_comes_back_with_its_etag_type_and_length() {
        String id = (String) field(upload(ALICE, "a.txt", "text/plain", "the bytes"), "id");

        HttpResponse<String> r = get("/v1/files/" + id + "/content", ALICE);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("the bytes");
        assertThat(r.headers().firstValue("Content-Length")).hasValue("9");
        assertThat(r.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]{64}\""));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
    }

    @Test
    void another_owners_file_is_not_found_exactly_like_a_missing_one() {
        String id = (String) field(upload(ALICE, "private.txt", "text/plain", "alice only"), "id");

        HttpResponse<String> theirs = get("/v1/files/" + id, BOB);
        HttpResponse<String> missing = get("/v1/files/no-such-file", BOB);

        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(theirs.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(field(theirs, "kind")).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/files/" + id + "/content", BOB).statusCode()).isEqualTo(404);
    }

    @Test
    void no_credentials_answer_401_with_a_challenge_and_bad_ones_too() {
        HttpResponse<String> none = get("/v1/files/x", null);
        HttpResponse<String> bad = get("/v1/files/x", "not-a-key");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(field(bad, "kind")).isEqualTo("UNAUTHENTICATED");
        assertThat(bad.body()).doesNotContain("not-a-key");
    }

    @Test
    void a_key_without_the_write_scope_cannot_upload() {
        HttpResponse<String> r = upload(ALICE_READ_ONLY, "a.txt", "text/plain", "x");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(field(r, "kind")).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void an_upload_without_a_name_is_a_bad_request() {
        HttpResponse<String> r = send(request("/v1/files", ALICE)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(field(r, "kind")).isEqualTo("INVALID_ARGUMENT");
        assertThat(field(r, "correlationId")).asString().isNotEmpty();
    }

    @Test
    void a_well_formed_request_id_is_echoed_and_a_malformed_one_replaced() {
        HttpResponse<String> kept = send(request("/health", null).header("X-Request-Id", "req-42").GET().build());
        HttpResponse<String> replaced = send(request("/health", null).header("X-Request-Id", "bad id\t!").GET().build());

        assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("req-42");
        assertThat(replaced.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).isNotEqualTo("bad id\t!").isNotEmpty());
    }

    @Test
    void an_unknown_route_is_a_problem_document() {
        HttpResponse<String> r = get("/v1/nothing-here", ALICE);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }
}
