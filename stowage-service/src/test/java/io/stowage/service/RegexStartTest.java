package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegexStartTest {

    @Test
    void a_leading_literal_hex_escape_or_class_gives_the_characters_a_match_starts_with() {
        assertThat(chars(RegexStart.firstChars("(?s)\\xFF[\\xF0\\xF1].{2}", false))).isEqualTo("ff");
        assertThat(chars(RegexStart.firstChars("[\r\n]%AI5_FileFormat [1-4]", false))).isEqualTo("0a 0d");
        assertThat(chars(RegexStart.firstChars("[\\x41b]x", false))).isEqualTo("41 62");
        assertThat(chars(RegexStart.firstChars("BZh[1-9]", false))).isEqualTo("42");
    }

    @Test
    void any_shape_that_is_not_plainly_one_starting_character_answers_null() {
        assertThat(RegexStart.firstChars("\\xFF?abc", false)).as("optional first").isNull();
        assertThat(RegexStart.firstChars("a*b", false)).as("repeated first").isNull();
        assertThat(RegexStart.firstChars("a{0,2}b", false)).as("counted first").isNull();
        assertThat(RegexStart.firstChars("ab|cd", false)).as("alternation").isNull();
        assertThat(RegexStart.firstChars("(X|DKIM)-", false)).as("group").isNull();
        assertThat(RegexStart.firstChars("abc", true)).as("ignoring case").isNull();
        assertThat(RegexStart.firstChars("(?i)abc", false)).as("other flags").isNull();
        assertThat(RegexStart.firstChars("^abc", false)).as("anchor").isNull();
        assertThat(RegexStart.firstChars(".abc", false)).as("any").isNull();
        assertThat(RegexStart.firstChars("[^a]b", false)).as("negated class").isNull();
        assertThat(RegexStart.firstChars("[a-z]b", false)).as("range").isNull();
        assertThat(RegexStart.firstChars("[\\d]b", false)).as("class escape").isNull();
        assertThat(RegexStart.firstChars("\\d", false)).as("escape").isNull();
        assertThat(RegexStart.firstChars("[ab", false)).as("unclosed").isNull();
        assertThat(RegexStart.firstChars("[]", false)).as("empty class").isNull();
        assertThat(RegexStart.firstChars("", false)).as("empty").isNull();
        assertThat(RegexStart.firstChars("\u0100x", false)).as("beyond one byte").isNull();
    }

    private static String chars(boolean[] set) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < set.length; c++) {
            if (set[c]) {
                out.append(out.isEmpty() ? "" : " ").append(String.format("%02x", c));
            }
        }
        return out.toString();
    }
}
