package io.stowage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    private static final BlobKey KEY = BlobKey.of("k");

    private static ByteRange.Resolved resolve(ByteRange r, long size) {
        return r.resolve(size, "test", KEY);
    }

    private static void assertUnsatisfiable(ByteRange r, long size) {
        assertThatThrownBy(() -> resolve(r, size)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.RANGE_NOT_SATISFIABLE));
    }

    @Test
    void a_first_last_range_resolves_to_itself() {
        ByteRange.Resolved r = resolve(ByteRange.fromTo(10, 19), 100);
        assertThat(r).isEqualTo(new ByteRange.Resolved(10, 19, 100));
        assertThat(r.length()).isEqualTo(10);
        assertThat(r.contentRange()).isEqualTo("bytes 10-19/100");
    }

    @Test
    void an_end_past_the_object_is_clamped() {
        assertThat(resolve(ByteRange.fromTo(95, 1000), 100)).isEqualTo(new ByteRange.Resolved(95, 99, 100));
    }

    @Test
    void an_open_ended_range_runs_to_the_end() {
        assertThat(resolve(ByteRange.from(90), 100)).isEqualTo(new ByteRange.Resolved(90, 99, 100));
        assertThat(ByteRange.from(90).isOpenEnded()).isTrue();
    }

    @Test
    void a_suffix_takes_the_last_bytes_or_the_whole_object() {
        assertThat(resolve(ByteRange.lastBytes(5), 100)).isEqualTo(new ByteRange.Resolved(95, 99, 100));
        assertThat(resolve(ByteRange.lastBytes(500), 100)).isEqualTo(new ByteRange.Resolved(0, 99, 100));
        assertThat(ByteRange.lastBytes(5).isSuffix()).isTrue();
    }

    @Test
    void ranges_that_select_no_byte_are_not_satisfiable() {
        assertUnsatisfiable(ByteRange.from(100), 100);
        assertUnsatisfiable(ByteRange.fromTo(100, 200), 100);
        assertUnsatisfiable(ByteRange.lastBytes(0), 100);
        assertUnsatisfiable(ByteRange.fromTo(0, 0), 0);
        assertUnsatisfiable(ByteRange.from(0), 0);
        assertUnsatisfiable(ByteRange.lastBytes(10), 0);
    }

    @Test
    void impossible_ranges_are_invalid_arguments() {
        for (Runnable r : new Runnable[] {() -> ByteRange.fromTo(10, 9), () -> ByteRange.from(-1),
                () -> ByteRange.lastBytes(-1), () -> new ByteRange(0, 5, 3)}) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        }
    }

    @Test
    void http_range_headers_parse_and_print_back() {
        assertThat(ByteRange.parseHttp("bytes=0-99")).isEqualTo(ByteRange.fromTo(0, 99));
        assertThat(ByteRange.parseHttp("bytes=100-")).isEqualTo(ByteRange.from(100));
        assertThat(ByteRange.parseHttp("bytes=-50")).isEqualTo(ByteRange.lastBytes(50));
        assertThat(ByteRange.parseHttp(" bytes=5-5 ")).isEqualTo(ByteRange.fromTo(5, 5));
        for (ByteRange r : new ByteRange[] {ByteRange.fromTo(0, 99), ByteRange.from(7), ByteRange.lastBytes(3)}) {
            assertThat(ByteRange.parseHttp(r.toHttp())).isEqualTo(r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes=", "bytes=-", "bytes=a-b", "bytes=0-1,5-6", "items=0-1", "bytes=5", "bytes=9-3",
            "bytes=--5", "bytes=99999999999999999999-"})
    void malformed_http_range_headers_are_invalid_arguments(String header) {
        assertThatThrownBy(() -> ByteRange.parseHttp(header)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void a_missing_header_is_an_invalid_argument() {
        assertThatThrownBy(() -> ByteRange.parseHttp(null)).isInstanceOf(StorageException.class);
    }
}
