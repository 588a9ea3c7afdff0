package io.stowage.s3;

import io.stowage.BlobKey;
import java.util.ArrayList;
import java.util.List;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.internal.PageSetImpl;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;

/**
 * Makes s3proxy's in-memory store list as S3 does. jclouds' transient store orders names as Java
 * strings (UTF-16 code units), so a key with an emoji sorts before U+E000, where S3 (and the
 * contract) order by UTF-8 bytes. This fixture asks the store for the whole listing and pages it
 * itself in UTF-8 byte order; it changes the test server, not the S3 backend under test.
 *
 * <p>It also opens one blob at a time. The transient store hands every reader of a blob the same payload, and
 * opening it registers the stream in that payload's Guava {@code Closer}, which is not thread-safe: parts of one
 * multipart upload sent at once (each looks up the upload's marker blob) or ranged reads of one object could grow
 * its deque together and break it for good, after which s3proxy answered 500 to every part of that upload (seen
 * once in CI: {@code ArrayIndexOutOfBoundsException} in {@code ArrayDeque.grow}).
 */
final class Utf8OrderedJcloudsStore extends ForwardingBlobStore {

    private final Object opening = new Object();

    Utf8OrderedJcloudsStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public BlobMetadata blobMetadata(String container, String name) {
        synchronized (opening) {
            return super.blobMetadata(container, name);
        }
    }

    @Override
    public Blob getBlob(String container, String name) {
        synchronized (opening) {
            return super.getBlob(container, name);
        }
    }

    @Override
    public Blob getBlob(String container, String name, GetOptions options) {
        synchronized (opening) {
            return super.getBlob(container, name, options);
        }
    }

    @Override
    public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
        ListContainerOptions all = new ListContainerOptions();
        if (options.getPrefix() != null) {
            all.prefix(options.getPrefix());
        }
        if (options.getDir() != null) {
            all.inDirectory(options.getDir());
        }
        if (options.getDelimiter() != null) {
            all.delimiter(options.getDelimiter());
        }
        if (options.isRecursive()) {
            all.recursive();
        }
        if (options.isDetailed()) {
            all.withDetails();
        }
        List<StorageMetadata> entries = new ArrayList<>();
        String marker = null;
        do {
            ListContainerOptions page = all.clone();
            if (marker != null) {
                page.afterMarker(marker);
            }
            PageSet<? extends StorageMetadata> got = delegate().list(container, page);
            entries.addAll(got);
            marker = got.getNextMarker();
        } while (marker != null);
        entries.sort((a, b) -> BlobKey.compareUtf8(a.getName(), b.getName()));
        String after = options.getMarker();
        int max = options.getMaxResults() == null ? 1000 : options.getMaxResults();
        List<StorageMetadata> out = new ArrayList<>();
        String next = null;
        for (StorageMetadata m : entries) {
            if (after != null && BlobKey.compareUtf8(m.getName(), after) <= 0) {
                continue;
            }
            if (out.size() == max) {
                next = out.getLast().getName();
                break;
            }
            out.add(m);
        }
        return new PageSetImpl<>(out, next);
    }
}
