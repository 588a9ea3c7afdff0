package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.BlobKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sidecar reads back as written, and anything else is refused as a sidecar (decision 0067's token parse). */
class SidecarTest {

    private static final Instant T = Instant.parse("2026-12-03T21:00:00.123456Z");

    private static Sidecar parse(String json) throws IOException {
        return Sidecar.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_written_sidecar_reads_back_the_same_live_or_deleted() throws IOException {
        Sidecar s = new Sidecar(BlobKey.of("a/ü b.txt"), 12, "ab".repeat(32), "text/plain",
                Map.of("k", "v", "quote", "\"x\""), T, T.plusSeconds(1), "v1", null);
        assertThat(Sidecar.parse(s.toJson())).isEqualTo(s);
        Sidecar trashed = s.withDeleted(T.plusSeconds(9));
        assertThat(Sidecar.parse(trashed.toJson())).isEqualTo(trashed);
    }

    @Test
    void unknown_fields_and_odd_metadata_values_are_read_past() throws IOException {
        Sidecar s = parse("{\"schema\":1,\"extra\":{\"a\":[1,2,{\"b\":3}]},\"key\":\"k\",\"size\":5,"
                + "\"sha256\":\"s\",\"content_type\":\"t\",\"metadata\":{\"n\":7,\"o\":{\"p\":1},\"q\":\"r\"},"
                + "\"tier\":null,\"created\":\"2026-12-03T21:00:00Z\",\"modified\":\"2026-12-03T21:00:01Z\","
                + "\"version_id\":\"v\",\"deleted\":null}");
        assertThat(s.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("n", "7", "o", "", "q", "r"));
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.deleted()).isNull();
    }

    @Test
    void what_is_not_a_sidecar_of_this_schema_is_refused() {
        String ok = "\"key\":\"k\",\"size\":5,\"sha256\":\"s\",\"content_type\":\"t\",\"metadata\":{},"
                + "\"created\":\"2026-12-03T21:00:00Z\",\"modified\":\"2026-12-03T21:00:01Z\",\"version_id\":\"v\"";
        assertThatThrownBy(() -> parse("{\"schema\":2," + ok + "}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("{" + ok + "}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("not json")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("{\"schema\":1," + ok)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("{\"schema\":1," + ok.replace("\"sha256\":\"s\",", "") + "}"))
                .isInstanceOf(IOException.class).hasMessageContaining("sha256");
        assertThatThrownBy(() -> parse("{\"schema\":1," + ok.replace("2026-12-03T21:00:00Z", "yesterday") + "}"))
                .isInstanceOf(IOException.class).hasMessageContaining("malformed");
    }

    @Test
    void instants_read_as_instant_parse_reads_them() {
        java.util.List<String> written = new java.util.ArrayList<>();
        for (Instant t : java.util.List.of(T, Instant.EPOCH, Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.000001Z"), Instant.parse("2026-12-04T22:00:00.120Z"))) {
            written.add(t.toString());
        }
        written.addAll(java.util.List.of("2026-12-03T21:00:00.1Z", "2026-12-03T21:00:00.1234Z",
                "2026-12-03T21:00:00.12345678Z", "+10000-01-01T00:00:00Z", "2026-12-03T21:00:00+01:00"));
        for (String s : written) {
            assertThat(Sidecar.instant(s)).as(s).isEqualTo(Instant.parse(s));
        }
        // Near misses go to Instant.parse, whatever it makes of them (it refuses most, and reads 24:00 as the next day).
        for (String odd : java.util.List.of("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-03T24:00:00Z",
                "2026-12-03T21:00:60Z", "2026-12-03T21:00:00.Z", "2026-12-03T21:0a:00Z", "2026-12-03 21:00:00Z",
                "2026-12-03T21:00:00.1234567890Z", "2026-12-03T21:00:00.12a4Z")) {
            Object expected;
            try {
                expected = Instant.parse(odd);
            } catch (java.time.format.DateTimeParseException e) {
                expected = e.getClass();
            }
            Object actual;
            try {
                actual = Sidecar.instant(odd);
            } catch (java.time.format.DateTimeParseException e) {
                actual = e.getClass();
            }
            assertThat(actual).as(odd).isEqualTo(expected);
        }
    }
}
