package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void a_plain_ascii_name_is_one_quoted_filename() {
        assertThat(ContentDisposition.header("attachment", "report 2026.pdf"))
                .isEqualTo("attachment; filename=\"report 2026.pdf\"");
    }

    @Test
    void a_name_beyond_ascii_gets_an_ascii_fallback_and_a_utf8_filename_star() {
        assertThat(ContentDisposition.header("inline", "€ rates – Zürich.pdf"))
                .isEqualTo("inline; filename=\"_ rates _ Z_rich.pdf\"; filename*=UTF-8''%E2%82%AC%20rates%20%E2%80%93%20Z%C3%BCrich.pdf");
        assertThat(ContentDisposition.header("inline", "\uD83D\uDE00.png"))
                .isEqualTo("inline; filename=\"_.png\"; filename*=UTF-8''%F0%9F%98%80.png");
    }

    @Test
    void quotes_backslashes_and_percent_signs_never_reach_the_quoted_filename() {
        assertThat(ContentDisposition.header("attachment", "a\"b\\c%41.txt"))
                .isEqualTo("attachment; filename=\"a_b_c_41.txt\"; filename*=UTF-8''a%22b%5Cc%2541.txt");
    }

    @Test
    void the_header_offers_the_last_segment_of_the_cleaned_name() {
        FileRecord file = new FileRecord("01h0000000000000000000000", "ada", "albums/2026/holiday.jpg", "v", 1, 1,
                "", "image/jpeg", java.util.Map.of(), java.time.Instant.EPOCH, java.time.Instant.EPOCH, "local");

        assertThat(ContentDisposition.attachment(file)).isEqualTo("attachment; filename=\"holiday.jpg\"");
    }
}
