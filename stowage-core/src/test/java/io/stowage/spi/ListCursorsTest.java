package io.stowage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import org.junit.jupiter.api.Test;

class ListCursorsTest {

    @Test
    void a_token_comes_back_from_its_cursor_and_a_cursor_of_another_prefix_is_refused() {
        String cursor = ListCursors.encode("s3.", "token/é/😀");
        assertThat(ListCursors.decode("s3.", cursor)).isEqualTo("token/é/😀");
        for (String bad : new String[] {"az." + cursor.substring(3), "s3.", "s3.!!", ""}) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> ListCursors.decode("s3.", bad));
            assertThat(e.kind()).as(bad).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
    }

    @Test
    void parts_may_be_empty_and_carry_no_dot_so_they_can_be_joined_with_dots() {
        assertThat(ListCursors.encodePart("")).isEmpty();
        assertThat(ListCursors.decodePart("")).isEmpty();
        String part = ListCursors.encodePart("a.b.c");
        assertThat(part).doesNotContain(".");
        assertThat(ListCursors.decodePart(part)).isEqualTo("a.b.c");
    }
}
