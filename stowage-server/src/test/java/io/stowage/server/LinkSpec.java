package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.testkit.Await;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signed links over HTTP: made with an absolute URL, opened without credentials, refused when not genuine. */
abstract class LinkSpec extends ApiTestBase {

    String link(String id, long ttlSeconds) {
        HttpResponse<String> r = sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", ttlSeconds));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return (String) field(r, "url");
    }

    static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    HttpResponse<String> open(String token) {
        return get("/v1/links/" + token, null);
    }

    @Test
    void a_link_is_an_absolute_url_on_the_servers_address_that_opens_without_credentials() {
        String id = saved(ALICE, "shared.txt", "for anyone with the link");

        HttpResponse<String> made = sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", 120));
        String url = (String) field(made, "url");
        HttpResponse<String> opened = send(request(url, null).GET().build());

        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(url).startsWith(server.localUri() + "/v1/links/");
        assertThat(Instant.parse((String) field(made, "expiresAt"))).isAfter(Instant.now().plusSeconds(60));
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(opened.body()).isEqualTo("for anyone with the link");
        assertThat(opened.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"shared.txt\"");
    }

    @Test
    void with_a_public_url_set_links_name_it_instead_of_the_request_address() {
        String id = saved(ALICE, "proxied.txt", "x");
        StowageConfig behindProxy = StowageConfig.load(ConfigSources.of(Map.of("STOWAGE_PUBLIC_URL", "https://files.example.com/"), home));
        try (StowageServer proxied = StowageServer.start(ServerSettings.from(behindProxy).withPort(0), service, authenticator())) {
            HttpResponse<String> made = send(java.net.http.HttpRequest.newBuilder(proxied.localUri().resolve("/v1/files/" + id + "/links"))
                    .header("Authorization", "Bearer " + ALICE).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"ttlSeconds\": 60}")).build());

            assertThat((String) field(made, "url")).startsWith("https://files.example.com/v1/links/");
        }
    }

    @Test
    void a_bad_ttl_or_disposition_is_a_bad_request() {
        String id = saved(ALICE, "ttl.txt", "x");

        assertProblem(sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of()), 400, "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", "soon")), 400, "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", 0)), 400, "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", 100L * 24 * 3600)), 400, "INVALID_ARGUMENT");
        assertProblem(sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", 60, "disposition", "x")), 400, "INVALID_ARGUMENT");
    }

    @Test
    void a_tampered_truncated_or_invented_token_is_refused_without_echoing_it() {
        String token = token(link(saved(ALICE, "t.txt", "secret-ish"), 600));
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        String truncated = token.substring(0, token.length() - 5);
        String payloadOnly = token.substring(0, token.indexOf('.'));

        for (String bad : new String[] {tampered, truncated, payloadOnly, "not-a-token", "a.b"}) {
            HttpResponse<String> r = open(bad);

            assertProblem(r, 403, "PERMISSION_DENIED");
            assertThat(r.body()).doesNotContain(bad);
        }
        assertThat(open(token).statusCode()).isEqualTo(200);
    }

    @Test
    void a_token_rewritten_to_name_another_owner_or_file_is_refused() {
        String aliceFile = saved(ALICE, "alice.txt", "alice's");
        String bobFile = saved(BOB, "bob.txt", "bob's");
        String token = token(link(aliceFile, 600));
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        String signature = token.substring(token.indexOf('.'));

        String asBob = payload.replace("|alice|", "|bob|");
        String toBobsFile = payload.replace(aliceFile, bobFile).replace("|alice|", "|bob|");

        assertThat(asBob).isNotEqualTo(payload);
        for (String forged : new String[] {asBob, toBobsFile}) {
            String bad = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + signature;
            HttpResponse<String> r = open(bad);

            assertProblem(r, 403, "PERMISSION_DENIED");
            assertThat(r.body()).doesNotContain("bob's", "alice's");
        }
    }

    @Test
    void an_expired_link_is_refused() {
        String url = link(saved(ALICE, "brief.txt", "short-lived"), 1);

        Await.until(Duration.ofSeconds(10), "the one-second link to expire", () -> open(token(url)).statusCode() == 403);

        assertProblem(open(token(url)), 403, "PERMISSION_DENIED");
        assertThat((String) field(open(token(url)), "detail")).contains("expired");
    }

    @Test
    void a_link_to_a_file_deleted_since_is_not_found() {
        String id = saved(ALICE, "deleted.txt", "x");
        String url = link(id, 600);

        send("DELETE", "/v1/files/" + id, ALICE);

        assertProblem(open(token(url)), 404, "NOT_FOUND");
    }

    @Test
    void a_link_answers_head_and_ranges_like_the_files_own_route() {
        String url = link(saved(ALICE, "r.txt", "0123456789"), 600);

        HttpResponse<String> head = send(request(URI.create(url).getPath(), null)
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> range = send(request(URI.create(url).getPath(), null).header("Range", "bytes=3-4").GET().build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("34");
    }
}
