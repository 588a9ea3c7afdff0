package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP done right on both content routes, a file's content and a signed link: ranges, conditions,
 * disposition, lengths. Each test runs on both, through {@link #paths()}.
 */
abstract class ContentSpec extends ApiTestBase {

    static final String BODY = "0123456789abcdefghijklmnopqrstuvwxyz";

    String id;
    String etag;
    String lastModified;
    String fileUrl;
    String linkUrl;

    @BeforeEach
    void saveOne() {
        HttpResponse<String> r = upload(ALICE, "docs/alphabet.txt", "text/plain", BODY);
        id = id(r);
        etag = r.headers().firstValue("ETag").orElseThrow();
        fileUrl = "/v1/files/" + id + "/content";
        HttpResponse<String> link = sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", 600));
        assertThat(link.statusCode()).as(link.body()).isEqualTo(201);
        linkUrl = java.net.URI.create((String) field(link, "url")).getPath();
        lastModified = get(fileUrl, ALICE).headers().firstValue("Last-Modified").orElseThrow();
    }

    /** Both content routes: the file's with Alice's key, the link's with none. */
    Map<String, String> paths() {
        return Map.of(fileUrl, ALICE, linkUrl, "");
    }

    HttpResponse<String> fetch(String path, String key, String... headers) {
        HttpRequest.Builder b = request(path, key == null || key.isEmpty() ? null : key).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    @Test
    void a_full_body_has_its_length_type_etag_and_safety_headers() {
        paths().forEach((path, key) -> {
            HttpResponse<String> r = fetch(path, key);

            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).isEqualTo(BODY);
            assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(BODY.length()));
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(r.headers().firstValue("ETag")).hasValue(etag);
            assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"alphabet.txt\"");
        });
    }

    @Test
    void the_etag_is_the_sha256_of_the_content() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(etag).isEqualTo("\"" + java.util.HexFormat.of().formatHex(digest) + "\"");
    }

    @Test
    void a_head_has_the_headers_and_the_length_without_a_body() {
        paths().forEach((path, key) -> {
            HttpResponse<String> r = send(request(path, key.isEmpty() ? null : key)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(BODY.length()));
            assertThat(r.headers().firstValue("ETag")).hasValue(etag);
        });
    }

    @Test
    void a_closed_range_is_partial_content_with_exactly_those_bytes() {
        paths().forEach((path, key) -> {
            HttpResponse<String> r = fetch(path, key, "Range", "bytes=2-5");

            assertThat(r.statusCode()).as(path).isEqualTo(206);
            assertThat(r.body()).isEqualTo("2345");
            assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 2-5/36");
            assertThat(r.headers().firstValue("Content-Length")).hasValue("4");
        });
    }

    @Test
    void an_open_range_a_suffix_and_a_range_past_the_end_are_served_as_rfc_9110_says() {
        paths().forEach((path, key) -> {
            HttpResponse<String> open = fetch(path, key, "Range", "bytes=30-");
            HttpResponse<String> suffix = fetch(path, key, "Range", "bytes=-3");
            HttpResponse<String> pastEnd = fetch(path, key, "Range", "bytes=34-1000");
            HttpResponse<String> longSuffix = fetch(path, key, "Range", "bytes=-1000");

            assertThat(open.body()).isEqualTo("uvwxyz");
            assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 30-35/36");
            assertThat(suffix.body()).isEqualTo("xyz");
            assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 33-35/36");
            assertThat(pastEnd.body()).isEqualTo("yz");
            assertThat(longSuffix.statusCode()).isEqualTo(206);
            assertThat(longSuffix.body()).isEqualTo(BODY);
        });
    }

    @Test
    void several_ranges_are_one_multipart_byteranges_body_in_the_requested_order() {
        paths().forEach((path, key) -> {
            HttpResponse<String> r = fetch(path, key, "Range", "bytes=10-12, 0-1,-2");

            assertThat(r.statusCode()).as(path).isEqualTo(206);
            String type = r.headers().firstValue("Content-Type").orElseThrow();
            assertThat(type).startsWith("multipart/byteranges; boundary=");
            String boundary = type.substring(type.indexOf('=') + 1);
            assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(
                    r.body().getBytes(StandardCharsets.ISO_8859_1).length));
            Matcher parts = Pattern.compile("--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Range: bytes (\\S+)\r\n\r\n(.*?)\r\n")
                    .matcher(r.body());
            StringBuilder seen = new StringBuilder();
            while (parts.find()) {
                seen.append(parts.group(1)).append('=').append(parts.group(2)).append(';');
            }
            assertThat(seen).hasToString("10-12/36=abc;0-1/36=01;34-35/36=yz;");
            assertThat(r.body()).endsWith("--" + boundary + "--\r\n");
        });
    }

    @Test
    void overlapping_ranges_that_add_up_to_more_than_the_file_get_the_file_once() {
        paths().forEach((path, key) -> {
            HttpResponse<String> r = fetch(path, key, "Range", "bytes=0-,0-,0-,1-");

            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).isEqualTo(BODY);
        });
    }

    @Test
    void a_client_that_accepts_gzip_gets_the_stored_bytes_with_their_own_length() {
        String big = "compressible text ".repeat(1000);
        String bigId = id(upload(ALICE, "big.txt", "text/plain", big));

        HttpResponse<String> r = fetch("/v1/files/" + bigId + "/content", ALICE, "Accept-Encoding", "gzip");

        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(big.length()));
        assertThat(r.body()).isEqualTo(big);
    }

    @Test
    void an_unsatisfiable_range_is_416_with_the_size_and_unsatisfiable_parts_are_left_out() {
        paths().forEach((path, key) -> {
            HttpResponse<String> none = fetch(path, key, "Range", "bytes=36-40");
            HttpResponse<String> some = fetch(path, key, "Range", "bytes=100-200, 1-1");

            assertProblem(none, 416, "RANGE_NOT_SATISFIABLE");
            assertThat(none.headers().firstValue("Content-Range")).hasValue("bytes */36");
            assertThat(some.statusCode()).isEqualTo(206);
            assertThat(some.body()).isEqualTo("1");
        });
    }

    @Test
    void a_malformed_range_is_ignored_and_the_whole_file_sent() {
        paths().forEach((path, key) -> {
            for (String range : new String[] {"bytes=abc", "bytes=5-2", "items=0-1", "bytes=--1", "bytes=1-2-3", "bytes=",
                    "bytes=99999999999999999999-", "bytes=0-0" + ",0-0".repeat(RangeHeader.MAX_RANGES)}) {
                HttpResponse<String> r = fetch(path, key, "Range", range);

                assertThat(r.statusCode()).as(range).isEqualTo(200);
                assertThat(r.body()).isEqualTo(BODY);
            }
        });
    }

    @Test
    void if_range_serves_the_range_only_for_the_current_etag_or_date() {
        paths().forEach((path, key) -> {
            HttpResponse<String> current = fetch(path, key, "Range", "bytes=0-0", "If-Range", etag);
            HttpResponse<String> stale = fetch(path, key, "Range", "bytes=0-0", "If-Range", "\"" + "0".repeat(64) + "\"");
            HttpResponse<String> date = fetch(path, key, "Range", "bytes=0-0", "If-Range", lastModified);
            HttpResponse<String> weak = fetch(path, key, "Range", "bytes=0-0", "If-Range", "W/" + etag);

            assertThat(current.statusCode()).isEqualTo(206);
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.body()).isEqualTo(BODY);
            assertThat(date.statusCode()).isEqualTo(206);
            assertThat(weak.statusCode()).isEqualTo(200);
        });
    }

    @Test
    void a_matching_if_none_match_or_a_later_if_modified_since_is_304_without_a_body() {
        String later = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusDays(1));
        String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(1));
        paths().forEach((path, key) -> {
            HttpResponse<String> same = fetch(path, key, "If-None-Match", etag);
            HttpResponse<String> inList = fetch(path, key, "If-None-Match", "\"other\", W/" + etag);
            HttpResponse<String> other = fetch(path, key, "If-None-Match", "\"other\"");
            HttpResponse<String> notSince = fetch(path, key, "If-Modified-Since", later);
            HttpResponse<String> since = fetch(path, key, "If-Modified-Since", earlier);
            HttpResponse<String> bothButTagDiffers = fetch(path, key, "If-None-Match", "\"other\"", "If-Modified-Since", later);

            assertThat(same.statusCode()).as(path).isEqualTo(304);
            assertThat(same.body()).isEmpty();
            assertThat(same.headers().firstValue("ETag")).hasValue(etag);
            assertThat(inList.statusCode()).isEqualTo(304);
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(notSince.statusCode()).isEqualTo(304);
            assertThat(since.statusCode()).isEqualTo(200);
            assertThat(bothButTagDiffers.statusCode()).isEqualTo(200);
        });
    }

    @Test
    void a_stale_if_match_on_a_read_is_412() {
        paths().forEach((path, key) -> {
            assertProblem(fetch(path, key, "If-Match", "\"" + "0".repeat(64) + "\""), 412, "PRECONDITION_FAILED");
            assertThat(fetch(path, key, "If-Match", etag).statusCode()).isEqualTo(200);
        });
    }

    @Test
    void disposition_is_attachment_by_default_inline_on_request_and_unicode_names_get_filename_star() {
        String unicode = id(upload(ALICE, "reports/Grüße \"2026\".txt", "text/plain", "hallo"));

        HttpResponse<String> inline = get(fileUrl + "?disposition=inline", ALICE);
        HttpResponse<String> named = get("/v1/files/" + unicode + "/content", ALICE);
        HttpResponse<String> bogus = get(fileUrl + "?disposition=download", ALICE);
        HttpResponse<String> inlineLink = sendJson("POST", "/v1/files/" + id + "/links", ALICE,
                Map.of("ttlSeconds", 60, "disposition", "inline"));

        assertThat(inline.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"alphabet.txt\"");
        assertThat(named.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"Gr__e _2026_.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%222026%22.txt");
        assertProblem(bogus, 400, "INVALID_ARGUMENT");
        assertThat(fetch(java.net.URI.create((String) field(inlineLink, "url")).getPath(), "")
                .headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"alphabet.txt\"");
    }

    @Test
    void a_new_version_changes_the_files_etag_but_not_the_links_which_names_its_version() {
        send(request("/v1/files/" + id + "/content", ALICE).PUT(HttpRequest.BodyPublishers.ofString("new content")).build());

        HttpResponse<String> file = get(fileUrl, ALICE);
        HttpResponse<String> link = fetch(linkUrl, "");

        assertThat(file.body()).isEqualTo("new content");
        assertThat(file.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        assertThat(link.body()).isEqualTo(BODY);
        assertThat(link.headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void an_empty_file_has_no_satisfiable_range_but_a_full_body_of_length_zero() {
        String empty = id(upload(ALICE, "empty.txt", "text/plain", ""));

        HttpResponse<String> full = get("/v1/files/" + empty + "/content", ALICE);
        HttpResponse<String> range = fetch("/v1/files/" + empty + "/content", ALICE, "Range", "bytes=0-");

        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.headers().firstValue("Content-Length")).hasValue("0");
        assertProblem(range, 416, "RANGE_NOT_SATISFIABLE");
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes */0");
    }
}
