package io.stowage.local;

import io.stowage.BlobKey;
import io.stowage.ListRequest;
import io.stowage.spi.ListPager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Walks the sidecars under {@code metadata/} in UTF-8 byte order of keys, lazily, starting in the
 * directory that the complete segments of the list prefix name. On disk names sort differently from
 * keys (escapes, hashes), so each directory level is read whole and sorted by the segments it stands
 * for: an object {@code s} sorts as {@code s}, a directory {@code s} as {@code s/}, which puts every
 * key below {@code s/} exactly between its neighbours. Branches that end before the cursor are not
 * entered; in a folder-style listing only the first key of each folder is visited.
 * Symbolic links are never entered or read.
 */
final class MetadataTree implements Iterator<MetadataTree.Entry> {

    /** One object: its key and its sidecar. */
    record Entry(String key, Path sidecar) {
    }

    private record Node(String sortKey, String full, Path path, boolean dir) {
    }

    private static final class Frame {
        final List<Node> nodes;
        int next;

        Frame(List<Node> nodes) {
            this.nodes = nodes;
        }
    }

    /** Sees every directory a listing reads; lets a test prove the walk stays inside the prefix's subtree. */
    static volatile java.util.function.Consumer<Path> directoryReads = dir -> { };

    private final Layout layout;
    private final String prefix;
    private final String start;
    private final boolean folders;
    private final Deque<Frame> stack = new ArrayDeque<>();
    private Entry pending;

    MetadataTree(Layout layout, ListRequest request) throws IOException {
        this.layout = layout;
        this.prefix = request.prefix();
        this.start = ListPager.startAfterOrAt(request);
        this.folders = request.delimiterIfAny().isPresent();
        Path base = layout.prefixDir(layout.metadata, prefix);
        boolean exists;
        try {
            exists = layout.realDir(base);
        } catch (Layout.SymlinkException e) {
            exists = false;
        }
        if (exists) {
            int slash = prefix.lastIndexOf('/');
            stack.push(frame(base, slash < 0 ? "" : prefix.substring(0, slash + 1), true));
        }
    }

    @Override
    public boolean hasNext() {
        if (pending == null) {
            try {
                pending = advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pending != null;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry e = pending;
        pending = null;
        return e;
    }

    private Entry advance() throws IOException {
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.next >= f.nodes.size()) {
                stack.pop();
                continue;
            }
            Node n = f.nodes.get(f.next++);
            if (!n.dir()) {
                if (folders && stack.size() > 1) {
                    // One key stands for its whole folder; the pager rolls it up.
                    while (stack.size() > 1) {
                        stack.pop();
                    }
                }
                return new Entry(n.full(), n.path());
            }
            if (isRealDir(n.path())) {
                stack.push(frame(n.path(), n.full(), false));
            }
        }
        return null;
    }

    /** The sorted children of {@code dir}, whose keys start with {@code dirPrefix}, skipping those before the start. */
    private Frame frame(Path dir, String dirPrefix, boolean base) throws IOException {
        List<Node> nodes = new ArrayList<>();
        directoryReads.accept(dir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Node n = node(p, dirPrefix);
                if (n == null) {
                    continue;
                }
                if (base && !(n.full().startsWith(prefix) || (n.dir() && prefix.startsWith(n.full())))) {
                    continue;
                }
                boolean before = BlobKey.compareUtf8(n.full(), start) < 0;
                if (before && !(n.dir() && start.startsWith(n.full()))) {
                    continue;
                }
                nodes.add(n);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // removed meanwhile: nothing below it
        }
        nodes.sort(Comparator.comparing(Node::sortKey, BlobKey::compareUtf8));
        return new Frame(nodes);
    }

    private Node node(Path p, String dirPrefix) throws IOException {
        String name = p.getFileName().toString();
        try {
            if (name.endsWith(Layout.SIDECAR_SUFFIX)) {
                String enc = name.substring(0, name.length() - Layout.SIDECAR_SUFFIX.length());
                String segment;
                if (KeyCodec.isHashed(enc)) {
                    Sidecar s = LocalSidecars.readSidecarFile(p);
                    if (s == null) {
                        return null;
                    }
                    segment = s.key().name();
                } else {
                    segment = KeyCodec.decode(enc);
                }
                return new Node(segment, dirPrefix + segment, p, false);
            }
            if (name.contains(Layout.OBJECT_MARK) || name.startsWith(".")) {
                return null;
            }
            String segment = KeyCodec.isHashed(name) ? segmentBelow(p, dirPrefix) : KeyCodec.decode(name);
            if (segment == null) {
                return null;
            }
            return new Node(segment + "/", dirPrefix + segment + "/", p, true);
        } catch (IllegalArgumentException e) {
            return null; // not a name this store wrote
        }
    }

    /** The segment a hashed directory stands for, from the key of any sidecar below it; null when empty. */
    private String segmentBelow(Path dir, String dirPrefix) throws IOException {
        if (!isRealDir(dir)) {
            return null;
        }
        Sidecar any = anySidecar(dir);
        if (any == null || !any.key().value().startsWith(dirPrefix)) {
            return null;
        }
        String rest = any.key().value().substring(dirPrefix.length());
        int slash = rest.indexOf('/');
        return slash > 0 ? rest.substring(0, slash) : null;
    }

    private static Sidecar anySidecar(Path dir) throws IOException {
        directoryReads.accept(dir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(Layout.SIDECAR_SUFFIX)) {
                    Sidecar s = LocalSidecars.readSidecarFile(p);
                    if (s != null) {
                        return s;
                    }
                } else if (!name.contains(Layout.OBJECT_MARK) && isRealDir(p)) {
                    Sidecar s = anySidecar(p);
                    if (s != null) {
                        return s;
                    }
                }
            }
        }
        return null;
    }

    private static boolean isRealDir(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory();
        } catch (IOException e) {
            return false;
        }
    }
}
