package io.stowage.spi.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void a_digest_of_known_content_is_its_lower_case_hex() {
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void is_hex_accepts_exactly_64_lower_case_hex_digits() {
        String digest = Sha256.of(new byte[0]);
        assertThat(Sha256.isHex(digest)).isTrue();
        assertThat(Sha256.isHex(digest.toUpperCase(java.util.Locale.ROOT))).as("upper case").isFalse();
        assertThat(Sha256.isHex(digest.substring(1))).as("63 digits").isFalse();
        assertThat(Sha256.isHex(digest + "0")).as("65 digits").isFalse();
        assertThat(Sha256.isHex(digest.substring(1) + "g")).as("a non-hex letter").isFalse();
        assertThat(Sha256.isHex(digest.substring(1) + "/")).as("a character just below '0'").isFalse();
        assertThat(Sha256.isHex(digest.substring(1) + ":")).as("a character just above '9'").isFalse();
        assertThat(Sha256.isHex(null)).isFalse();
        assertThat(Sha256.isHex("")).isFalse();
    }
}
