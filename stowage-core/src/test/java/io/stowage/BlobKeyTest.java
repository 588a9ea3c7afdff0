package io.stowage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeyTest {

    private static void assertInvalid(String key, String reasonFragment) {
        assertThat(BlobKey.isValid(key)).isFalse();
        assertThatThrownBy(() -> BlobKey.of(key))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_KEY);
                    assertThat(e.getMessage()).contains(reasonFragment);
                });
    }

    @Test
    void a_valid_key_keeps_its_text_segments_and_name() {
        BlobKey k = BlobKey.of("photos/2024/été.jpg");
        assertThat(k.value()).isEqualTo("photos/2024/été.jpg");
        assertThat(k.segments()).containsExactly("photos", "2024", "été.jpg");
        assertThat(k.name()).isEqualTo("été.jpg");
        assertThat(k.utf8Length()).isEqualTo(21);
        assertThat(BlobKey.of("single").name()).isEqualTo("single");
    }

    @Test
    void traversal_segments_are_refused_with_a_reason() {
        assertInvalid("..", "segment '..'");
        assertInvalid("a/../../etc/passwd", "segment '..'");
        assertInvalid("a/./b", "segment '.'");
        assertInvalid("%2e%2e/x", "decodes to '..'");
        assertInvalid("a/%2E%2e/b", "decodes to '..'");
        assertInvalid("a/.%2E", "decodes to '..'");
        assertInvalid("%2e", "decodes to '.'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2e%2e%2e", "..%2e", "%2e.x", "a%2e%2e", "%2f..", "%252e%252e"})
    void percent_sequences_that_do_not_decode_to_a_dot_segment_are_ordinary(String segment) {
        assertThat(BlobKey.isValid("a/" + segment + "/b")).isTrue();
    }

    @Test
    void separators_control_characters_and_surrogates_are_refused_with_a_reason() {
        assertInvalid("", "empty");
        assertInvalid("/a", "starts with '/'");
        assertInvalid("a/", "ends with '/'");
        assertInvalid("a//b", "empty segment");
        assertInvalid("a\\b", "backslash");
        assertInvalid("a\u0000b", "NUL");
        assertInvalid("a\u001fb", "U+001F");
        assertInvalid("a\u009fb", "U+009F");
        assertInvalid("a\uD800", "unpaired surrogate");
        assertInvalid("\uDC00a", "unpaired surrogate");
    }

    @Test
    void the_length_limit_counts_utf8_bytes() {
        assertThat(BlobKey.isValid("a".repeat(1024))).isTrue();
        assertInvalid("a".repeat(1025), "1025 bytes");
        assertThat(BlobKey.isValid("é".repeat(512))).isTrue();
        assertInvalid("é".repeat(512) + "a", "1025 bytes");
        assertThat(BlobKey.isValid("😀".repeat(256))).isTrue();
        assertInvalid("😀".repeat(256) + "a", "1025 bytes");
        assertThat(BlobKey.of("中".repeat(341) + "a").utf8Length()).isEqualTo(1024);
    }

    @Test
    void a_missing_key_is_refused() {
        assertThatThrownBy(() -> BlobKey.of(null)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_KEY));
        assertThat(BlobKey.isValid(null)).isFalse();
    }

    @Test
    void join_and_with_prefix_validate_the_result() {
        assertThat(BlobKey.join("a", "b", "c").value()).isEqualTo("a/b/c");
        assertThat(BlobKey.of("x").withPrefix("tenant/").value()).isEqualTo("tenant/x");
        assertThatThrownBy(() -> BlobKey.join("a", "..", "b")).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> BlobKey.of("x").withPrefix("../")).isInstanceOf(StorageException.class);
    }

    @Test
    void an_error_message_shows_control_characters_escaped_on_one_line() {
        assertThatThrownBy(() -> BlobKey.of("evil\nkey"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage()).doesNotContain("\n")
                        .contains("\\u000a"));
    }

    @Test
    void keys_compare_in_utf8_byte_order() {
        List<String> texts = new ArrayList<>(List.of("a", "B", "é", "\uE000", "\uFFFD", "😀", "😀a", "中", "a/b", "a0", "", "\u007e"));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(4); j >= 0; j--) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> 0x20 + random.nextInt(0x5f);
                    case 1 -> 0xE000 + random.nextInt(0x1FFD);
                    case 2 -> 0x10000 + random.nextInt(0x2000);
                    default -> 0xA0 + random.nextInt(0x3000);
                };
                sb.appendCodePoint(cp);
            }
            texts.add(sb.toString());
        }
        for (String a : texts) {
            for (String b : texts.subList(0, 40)) {
                int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
                assertThat(Integer.signum(BlobKey.compareUtf8(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
            }
        }
        assertThat(BlobKey.of("\uFFFD").compareTo(BlobKey.of("😀"))).isNegative();
    }

    @Test
    void equal_keys_are_equal_and_hash_alike() {
        assertThat(BlobKey.of("a/b")).isEqualTo(BlobKey.of("a/b")).hasSameHashCodeAs(BlobKey.of("a/b"));
        assertThat(BlobKey.of("a/b")).isNotEqualTo(BlobKey.of("a/B"));
        assertThat(BlobKey.of("a/b").startsWith("a/")).isTrue();
    }
}
