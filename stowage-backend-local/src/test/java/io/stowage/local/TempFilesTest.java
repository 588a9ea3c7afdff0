package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a temp file deletes it while it is in {@code tmp/}, and leaves {@code tmp/} alone once it was placed. */
class TempFilesTest {

    @TempDir
    Path dir;

    @Test
    void a_temp_file_left_in_tmp_is_deleted_when_closed() throws IOException {
        TempFiles temps = new TempFiles(dir);
        TempFiles.Temp t = temps.create(".part");
        t.channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));

        t.close();

        assertThat(t.path).doesNotExist();
        assertThat(t.channel.isOpen()).isFalse();
    }

    @Test
    void a_temp_file_placed_elsewhere_is_not_looked_for_in_tmp_when_closed() throws IOException {
        TempFiles temps = new TempFiles(dir);
        TempFiles.Temp t = temps.create(".part");
        t.channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Path placed = dir.resolve("placed");
        Files.move(t.path, placed);
        t.placed();
        // Whatever stands at its old name now is not the temp file's: closing does not touch the name (before, it
        // looked it up and deleted it).
        Files.write(t.path, new byte[] {9});

        t.close();

        assertThat(t.path).exists();
        assertThat(placed).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(t.channel.isOpen()).isFalse();
    }
}
