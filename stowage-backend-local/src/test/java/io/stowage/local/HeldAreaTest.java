package io.stowage.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A held area answers the same with the kernel's one-call open ({@code openat2}, decision 0102) and with the walk of a
 * name at a time: the file when every name of the way is real, nothing when a name is missing, not a directory, or a
 * symbolic link, wherever the link points.
 */
class HeldAreaTest {

    @TempDir
    Path area;
    @TempDir
    Path outside;

    /** The kernel's open where the runtime and the platform have it (Java 22 or later, Linux), the walk else. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void opens_real_files_and_refuses_links_anywhere_on_the_way(boolean openat2) throws Exception {
        Files.createDirectories(area.resolve("a/b/c"));
        Files.writeString(area.resolve("a/b/c/file"), "inside");
        Files.writeString(area.resolve("a/top"), "top");
        Files.createDirectories(outside.resolve("b/c"));
        Files.writeString(outside.resolve("b/c/file"), "outside");
        Files.writeString(outside.resolve("secret"), "secret");

        try (HeldArea held = hold(openat2)) {
            boolean kernel = openat2 && Runtime.version().feature() >= 22
                    && "Linux".equals(System.getProperty("os.name"));
            assertThat(held.opensBeneath()).isEqualTo(kernel);

            assertThat(read(held, "a/b/c", "file")).isEqualTo("inside");
            assertThat(read(held, "a", "top")).isEqualTo("top");
            assertThat(held.read("a/b/c", "file", 6)).asString(StandardCharsets.UTF_8).isEqualTo("inside");
            assertThat(held.read("a/b/c", "file", 5)).as("more than the most asked for").isNull();
            byte[] large = new byte[100_000];
            new java.util.Random(7).nextBytes(large);
            Files.write(area.resolve("a/large"), large);
            assertThat(held.read("a", "large", large.length)).isEqualTo(large);
            assertThat(held.read("a/b/c", "missing", 100)).isNull();
            assertThat(held.open("a/b/c", "missing")).isNull();
            assertThat(held.open("a/x/c", "file")).isNull();
            assertThat(held.open("a/top", "file")).as("a file where a directory is expected").isNull();

            // A link as the file itself, to a file inside the area and to one outside it.
            Files.createSymbolicLink(area.resolve("a/b/c/inner"), area.resolve("a/b/c/file"));
            Files.createSymbolicLink(area.resolve("a/b/c/outer"), outside.resolve("secret"));
            assertThat(held.open("a/b/c", "inner")).isNull();
            assertThat(held.open("a/b/c", "outer")).isNull();
            assertThat(held.read("a/b/c", "inner", 100)).isNull();
            assertThat(held.read("a/b/c", "outer", 100)).isNull();

            // A middle directory moved out of the area and a link put in its place: the whole object is there.
            Files.move(area.resolve("a/b"), outside.resolve("moved"));
            Files.createSymbolicLink(area.resolve("a/b"), outside.resolve("moved"));
            assertThat(held.open("a/b/c", "file")).isNull();
            assertThat(held.read("a/b/c", "file", 100)).isNull();
            Files.delete(area.resolve("a/b"));
            // A relative link that stays inside the area is refused as well.
            Files.createDirectories(area.resolve("z/c"));
            Files.writeString(area.resolve("z/c/file"), "elsewhere inside");
            Files.createSymbolicLink(area.resolve("a/b"), Path.of("../z"));
            assertThat(held.open("a/b/c", "file")).isNull();
            assertThat(held.read("a/b/c", "file", 100)).isNull();
            Files.delete(area.resolve("a/b"));
            Files.move(outside.resolve("moved"), area.resolve("a/b"));
            assertThat(read(held, "a/b/c", "file")).isEqualTo("inside");
        }
    }

    private HeldArea hold(boolean openat2) throws Exception {
        String before = System.getProperty(HeldArea.OPENAT2);
        System.setProperty(HeldArea.OPENAT2, Boolean.toString(openat2));
        try {
            return HeldArea.hold(area);
        } finally {
            if (before == null) {
                System.clearProperty(HeldArea.OPENAT2);
            } else {
                System.setProperty(HeldArea.OPENAT2, before);
            }
        }
    }

    private static String read(HeldArea held, String parents, String name) throws Exception {
        try (FileChannel ch = held.open(parents, name)) {
            assertThat(ch).as("%s/%s", parents, name).isNotNull();
            ByteBuffer bb = ByteBuffer.allocate((int) ch.size());
            while (bb.hasRemaining() && ch.read(bb) >= 0) {
                // read all
            }
            return new String(bb.array(), StandardCharsets.UTF_8);
        }
    }
}
