package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code Last-Modified} is written by hand (decision 0082) exactly as the RFC 1123 formatter wrote it. */
class HttpDateTest {

    @Test
    void a_date_reads_as_the_formatter_wrote_it() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-12-04T22:26:40.999Z"),
                Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2026-01-01T09:05:03Z"),
                Instant.parse("1000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("0999-12-31T23:59:59Z"),
                Instant.parse("1969-12-31T23:59:59.5Z")));
        Random random = new Random(82);
        for (int i = 0; i < 5_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 8_000_000_000L), random.nextInt(1_000_000_000)));
        }
        for (Instant t : instants) {
            assertThat(HttpDate.format(t)).as(t.toString())
                    .isEqualTo(DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC)));
        }
    }
}
