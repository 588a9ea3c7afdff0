package io.stowage.local;

import io.stowage.BlobKey;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Brings one key back to a consistent state after a writer died in the middle of a change. The
 * sidecar in {@code metadata/} is the truth; everything else about the key is made to agree with it.
 */
final class Recovery {

    private Recovery() {
    }

    static void reconcile(LocalBlobStore store, BlobKey key) throws IOException {
        Layout layout = store.layout;
        try (KeyLocks.Held held = store.lock(key)) {
            Sidecar current = store.sidecars.readSidecar(key);
            String currentVid = current == null ? null : current.versionId();
            // Content in data/ that the sidecar does not name was placed for a commit that never happened,
            // or was replaced by one that did.
            Path dataDir = layout.dir(layout.data, key);
            String mark = Layout.name(key) + Layout.OBJECT_MARK;
            if (realDir(layout, dataDir)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir, e -> e.getFileName().toString().startsWith(mark))) {
                    for (Path p : ds) {
                        String vid = p.getFileName().toString().substring(mark.length());
                        if (VersionIds.looksValid(vid) && !vid.equals(currentVid)) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
                store.sidecars.pruneEmptyDirs(dataDir, layout.data);
            }
            // A version or trashed copy of what is still current was set aside by a change that never
            // committed; content without a sidecar was being set aside or removed.
            for (Path area : new Path[] {layout.versions, layout.trash}) {
                Path dir = layout.keyDir(area, key);
                for (KeyDir.Item item : KeyDir.items(layout, dir)) {
                    if (item.versionId().equals(currentVid) || !item.hasData() || !item.hasSidecar()) {
                        KeyDir.remove(dir, item.versionId());
                    }
                }
                store.sidecars.pruneEmptyDirs(dir, area);
            }
        }
    }

    private static boolean realDir(Layout layout, Path dir) throws IOException {
        try {
            return layout.realDir(dir);
        } catch (Layout.SymlinkException e) {
            return false;
        }
    }
}
