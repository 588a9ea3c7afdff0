package io.stowage.spi.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartSizesTest {

    private static final long MIB = 1024 * 1024;

    /** 8 MiB configured, 4 in flight, at least 1 MiB, at most 100 parts. */
    private static int size(long length) {
        return PartSizes.forLength(length, 8 * MIB, 4, MIB, 100);
    }

    @Test
    void unknown_lengths_and_content_up_to_one_part_take_the_configured_size() {
        assertThat(size(-1)).isEqualTo(8 * MIB);
        assertThat(size(0)).isEqualTo(8 * MIB);
        assertThat(size(8 * MIB)).isEqualTo(8 * MIB);
    }

    @Test
    void content_a_little_larger_than_one_part_is_cut_so_that_the_parts_in_flight_are_filled_twice() {
        assertThat(size(8 * MIB + 1)).isEqualTo(2 * MIB);
        assertThat(size(20 * MIB)).isEqualTo(3 * MIB);
        assertThat(size(48 * MIB)).isEqualTo(6 * MIB);
        assertThat(size(64 * MIB)).isEqualTo(8 * MIB);
        assertThat(size(512 * MIB)).as("never above the configured size").isEqualTo(8 * MIB);
    }

    @Test
    void parts_are_never_below_the_smallest_worth_sending() {
        assertThat(PartSizes.forLength(9 * MIB, 8 * MIB, 64, 5 * MIB, 100)).isEqualTo(5 * MIB);
        assertThat(PartSizes.forLength(9 * MIB, 8 * MIB, 64, MIB, 100)).isEqualTo(MIB);
        assertThat(PartSizes.forLength(3 * MIB, 2 * MIB, 4, 5 * MIB, 100)).as("nor above the configured one")
                .isEqualTo(2 * MIB);
    }

    @Test
    void content_too_large_for_the_most_parts_gets_the_smallest_whole_mib_that_fits() {
        long huge = 8 * MIB * 100 + 1;
        assertThat(size(huge)).isEqualTo(9 * MIB);
        assertThat(Math.ceilDiv(huge, size(huge))).isLessThanOrEqualTo(100);
        assertThat(PartSizes.forLength(Long.MAX_VALUE / 2, 8 * MIB, 4, MIB, 10)).isEqualTo(Integer.MAX_VALUE - 16);
    }
}
