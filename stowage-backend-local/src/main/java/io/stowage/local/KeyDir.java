package io.stowage.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-key directory of versions or trashed copies: {@code <version>} (content) and
 * {@code <version>.json} (sidecar) pairs. Content is linked in before its sidecar is written and
 * removed after its sidecar, so a sidecar always has its content.
 */
final class KeyDir {

    private KeyDir() {
    }

    /** Version id to whether its content and its sidecar are present. */
    record Item(String versionId, boolean hasData, boolean hasSidecar) {
    }

    static List<Item> items(Layout layout, Path dir) throws IOException {
        try {
            if (!layout.realDir(dir)) {
                return List.of();
            }
        } catch (Layout.SymlinkException e) {
            return List.of();
        }
        Map<String, boolean[]> found = new TreeMap<>(Comparator.reverseOrder());
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                boolean sidecar = n.endsWith(".json");
                String vid = sidecar ? n.substring(0, n.length() - 5) : n;
                if (VersionIds.looksValid(vid)) {
                    found.computeIfAbsent(vid, v -> new boolean[2])[sidecar ? 1 : 0] = true;
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of();
        }
        List<Item> out = new ArrayList<>();
        found.forEach((vid, f) -> out.add(new Item(vid, f[0], f[1])));
        return out;
    }

    /** Removes one entry: sidecar first, then content. */
    static boolean remove(Path dir, String versionId) throws IOException {
        boolean had = Files.deleteIfExists(dir.resolve(versionId + ".json"));
        return Files.deleteIfExists(dir.resolve(versionId)) || had;
    }
}
