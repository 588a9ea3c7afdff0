package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.Tier;
import io.stowage.composite.TierRouter;
import io.stowage.local.LocalBlobStore;
import io.stowage.memory.MemoryBlobStore;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/files?segment=&tier=} saves a file in a segment and on a tier (the store here routes COLD to
 * a backend of its own), the record says both, {@code GET /v1/files?segment=} lists that segment alone, and a
 * malformed segment or an unknown tier is a bad request that saves nothing.
 */
abstract class SegmentTierSpec extends ApiTestBase {

    final MemoryBlobStore cold = new MemoryBlobStore("cold");

    @Override
    BlobStore storeFor(LocalBlobStore local) {
        return new TierRouter(local, Map.of(Tier.COLD, cold));
    }

    HttpResponse<String> uploadTo(String query, String name, String body) {
        return send(request("/v1/files?name=" + name + "&" + query, ALICE).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void an_upload_with_a_segment_and_a_tier_is_saved_there_and_its_record_says_so() {
        HttpResponse<String> r = uploadTo("segment=avatars&tier=cold", "me.png.txt", "a face");
        HttpResponse<String> plain = upload(ALICE, "plain.txt", "text/plain", "plain");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(field(r, "segment")).isEqualTo("avatars");
        assertThat(field(r, "tier")).isEqualTo("COLD");
        assertThat(field(r, "backend")).isEqualTo("cold");
        assertThat(json(get("/v1/files/" + field(r, "id"), ALICE))).containsEntry("segment", "avatars")
                .containsEntry("tier", "COLD");
        assertThat(cold.list(io.stowage.ListRequest.prefix("alice/")).items()).hasSize(1);
        assertThat(field(plain, "segment")).isNull();
        assertThat(field(plain, "tier")).isEqualTo("HOT");
        assertThat(field(plain, "backend")).isEqualTo("local");
    }

    @Test
    void a_listing_by_segment_holds_that_segments_files_alone() {
        String avatar = id(uploadTo("segment=avatars", "a.txt", "1"));
        String other = id(uploadTo("segment=avatars&tier=COLD", "b.txt", "2"));
        uploadTo("segment=invoices", "c.txt", "3");
        saved(ALICE, "d.txt", "4");
        send(request("/v1/files?name=bob.txt&segment=avatars", BOB)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("bob's")).build());

        HttpResponse<String> r = get("/v1/files?segment=avatars", ALICE);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(list(r, "files")).extracting(f -> f.get("id")).containsExactly(avatar, other);
        assertThat(list(r, "files")).extracting(f -> f.get("segment")).containsOnly("avatars");
        assertThat(list(get("/v1/files?segment=none-here", ALICE), "files")).isEmpty();
        assertThat(list(get("/v1/files", ALICE), "files")).hasSize(4);
    }

    @Test
    void a_malformed_segment_is_a_bad_request_on_upload_and_on_listing_and_saves_nothing() {
        for (String bad : new String[] {"Avatars", "-avatars", "a%2Fb", "a%20b", "x".repeat(65), ""}) {
            assertProblem(uploadTo("segment=" + bad, "s.txt", "x"), 400, "INVALID_ARGUMENT");
            assertProblem(get("/v1/files?segment=" + bad, ALICE), 400, "INVALID_ARGUMENT");
        }

        assertThat(list(get("/v1/files", ALICE), "files")).isEmpty();
        assertThat(objectsOnDisk()).isEmpty();
    }

    @Test
    void an_unknown_tier_is_a_bad_request_that_names_the_tiers_and_saves_nothing() {
        HttpResponse<String> r = uploadTo("tier=lukewarm", "t.txt", "x");

        assertProblem(r, 400, "INVALID_ARGUMENT");
        assertThat((String) field(r, "detail")).contains("HOT", "COLD", "lukewarm");
        assertProblem(uploadTo("tier=", "t.txt", "x"), 400, "INVALID_ARGUMENT");
        assertThat(list(get("/v1/files", ALICE), "files")).isEmpty();
        assertThat(objectsOnDisk()).isEmpty();
        assertThat(cold.list(io.stowage.ListRequest.prefix("")).items()).isEmpty();
    }
}
