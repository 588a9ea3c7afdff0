package io.stowage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void a_size_is_bytes_or_a_number_with_a_binary_unit_fractions_included() {
        assertThat(Sizes.parse("1048576", "x")).isEqualTo(1L << 20);
        assertThat(Sizes.parse("100MB", "x")).isEqualTo(100L << 20);
        assertThat(Sizes.parse("1MiB", "x")).isEqualTo(1L << 20);
        assertThat(Sizes.parse("4k", "x")).isEqualTo(4096);
        assertThat(Sizes.parse("1.5GB", "x")).isEqualTo(3L << 29);
        assertThat(Sizes.parse(" 2.5 mib ", "x")).isEqualTo(5L << 19);
        assertThat(Sizes.parse("0.1KB", "x")).as("rounded down to whole bytes").isEqualTo(102);
        assertThat(Sizes.parse("7TiB", "x")).isEqualTo(7L << 40);
    }

    @Test
    void a_fraction_of_a_byte_a_word_and_a_size_past_a_long_are_refused_naming_the_setting() {
        for (String bad : new String[] {"1.5", "lots", "1.5.2MB", "-1MB", "MB", "9999999999TB", "99999999999999999999"}) {
            Throwable thrown = catchThrowable(() -> Sizes.parse(bad, "limits.max_upload_size"));
            assertThat(thrown).as(bad).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG));
            assertThat(thrown).hasMessageContaining("limits.max_upload_size");
        }
    }
}
