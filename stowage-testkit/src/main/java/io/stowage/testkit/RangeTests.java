package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.ByteRange;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Range reads as RFC 9110 defines them. A store without range reads must say so: each test then
 * asserts that a range read fails with {@code UNSUPPORTED}.
 */
public interface RangeTests extends ContractContext {

    /** 100 bytes whose values are their positions. */
    private byte[] hundred() {
        byte[] b = new byte[100];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /**
     * True when the store reads ranges; otherwise asserts that it refuses them as unsupported (which is
     * then the whole test) and returns false.
     */
    private boolean rangeReadsOrUnsupported(BlobKey existing) {
        if (store().capabilities().rangeRead()) {
            return true;
        }
        assertFails(ErrorKind.UNSUPPORTED, () -> store().get(existing, GetOptions.range(ByteRange.fromTo(0, 0))).close());
        assertFails(ErrorKind.UNSUPPORTED, () -> store().get(existing, GetOptions.range(ByteRange.lastBytes(1))).close());
        return false;
    }

    private void assertRange(BlobKey k, ByteRange range, long first, long last, long total) {
        try (BlobRead r = store().get(k, GetOptions.range(range))) {
            assertThat(r.range()).as("resolved range of %s", range).contains(new ByteRange.Resolved(first, last, total));
            assertThat(r.length()).isEqualTo(last - first + 1);
            assertThat(r.info().size()).as("info describes the whole object").isEqualTo(total);
            byte[] expected = Arrays.copyOfRange(hundred(), (int) first, (int) last + 1);
            assertThat(r.readAllBytes()).isEqualTo(expected);
        }
    }

    private BlobKey hundredBytes() {
        BlobKey k = key("hundred.bin");
        put(k, hundred());
        return k;
    }

    @Test
    default void a_first_last_range_returns_exactly_those_bytes() {
        BlobKey k = hundredBytes();
        if (rangeReadsOrUnsupported(k)) {
            assertRange(k, ByteRange.fromTo(10, 19), 10, 19, 100);
            assertRange(k, ByteRange.fromTo(0, 0), 0, 0, 100);
            assertRange(k, ByteRange.fromTo(99, 99), 99, 99, 100);
            assertRange(k, ByteRange.fromTo(0, 99), 0, 99, 100);
        }
    }

    @Test
    default void an_open_ended_range_returns_the_rest_of_the_object() {
        BlobKey k = hundredBytes();
        if (rangeReadsOrUnsupported(k)) {
            assertRange(k, ByteRange.from(90), 90, 99, 100);
            assertRange(k, ByteRange.from(0), 0, 99, 100);
        }
    }

    @Test
    default void a_suffix_range_returns_the_last_bytes() {
        BlobKey k = hundredBytes();
        if (rangeReadsOrUnsupported(k)) {
            assertRange(k, ByteRange.lastBytes(5), 95, 99, 100);
            assertRange(k, ByteRange.lastBytes(1), 99, 99, 100);
        }
    }

    @Test
    default void a_range_past_the_end_is_clamped() {
        BlobKey k = hundredBytes();
        if (rangeReadsOrUnsupported(k)) {
            assertRange(k, ByteRange.fromTo(95, 1000), 95, 99, 100);
            assertRange(k, ByteRange.fromTo(0, Long.MAX_VALUE - 1), 0, 99, 100);
        }
    }

    @Test
    default void a_suffix_longer_than_the_object_returns_the_whole_object() {
        BlobKey k = hundredBytes();
        if (rangeReadsOrUnsupported(k)) {
            assertRange(k, ByteRange.lastBytes(500), 0, 99, 100);
            assertRange(k, ByteRange.lastBytes(100), 0, 99, 100);
        }
    }

    @Test
    default void a_range_starting_at_or_past_the_end_is_not_satisfiable() {
        BlobKey k = hundredBytes();
        if (rangeReadsOrUnsupported(k)) {
            assertFails(ErrorKind.RANGE_NOT_SATISFIABLE, () -> store().get(k, GetOptions.range(ByteRange.from(100))).close());
            assertFails(ErrorKind.RANGE_NOT_SATISFIABLE,
                    () -> store().get(k, GetOptions.range(ByteRange.fromTo(150, 200))).close());
            assertFails(ErrorKind.RANGE_NOT_SATISFIABLE, () -> store().get(k, GetOptions.range(ByteRange.lastBytes(0))).close());
        }
    }

    @Test
    default void any_range_of_an_empty_object_is_not_satisfiable() {
        BlobKey k = key("empty");
        put(k, new byte[0]);
        if (rangeReadsOrUnsupported(k)) {
            for (ByteRange r : new ByteRange[] {ByteRange.fromTo(0, 0), ByteRange.from(0), ByteRange.lastBytes(1),
                    ByteRange.fromTo(0, 10)}) {
                assertFails(ErrorKind.RANGE_NOT_SATISFIABLE, () -> store().get(k, GetOptions.range(r)).close());
            }
        }
    }

    @Test
    default void a_range_in_the_middle_of_a_large_object_returns_those_bytes() {
        BlobKey k = key("ten.bin");
        int size = 10 * 1024 * 1024;
        store().put(k, BlobContent.of(Contents.generated(31, size), size));
        if (rangeReadsOrUnsupported(k)) {
            byte[] all = Contents.bytes(31, size);
            int first = 5 * 1024 * 1024 - 3;
            try (BlobRead r = store().get(k, GetOptions.range(ByteRange.fromTo(first, first + 99_999)))) {
                assertThat(r.length()).isEqualTo(100_000);
                assertThat(r.readAllBytes()).isEqualTo(Arrays.copyOfRange(all, first, first + 100_000));
            }
        }
    }

    @Test
    default void a_range_of_a_missing_blob_fails_with_not_found() {
        BlobKey k = key("missing");
        if (store().capabilities().rangeRead()) {
            assertFails(ErrorKind.NOT_FOUND, () -> store().get(k, GetOptions.range(ByteRange.fromTo(0, 9))).close());
        } else {
            // Either refusal is honest: the range is unsupported, and the blob is missing.
            assertThat(assertFailsWithStorageException(() -> store().get(k, GetOptions.range(ByteRange.fromTo(0, 9))).close())
                    .kind()).isIn(ErrorKind.UNSUPPORTED, ErrorKind.NOT_FOUND);
        }
    }
}
