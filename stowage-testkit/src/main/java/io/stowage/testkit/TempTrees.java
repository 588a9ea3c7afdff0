package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deletes what a test server kept in a temporary folder of its own once the server has stopped, so a run leaves
 * nothing in the system's temporary directory (a long-lived CI machine would pile them up).
 */
public final class TempTrees {

    private TempTrees() {
    }

    /** Deletes {@code root} and everything under it; a tree already gone is fine. */
    public static void delete(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the test folder " + root, e);
        }
    }
}
