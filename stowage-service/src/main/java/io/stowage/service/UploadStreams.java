package io.stowage.service;

import io.stowage.BlobKey;
import io.stowage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** The streams of {@link ResumableUploads}: a chunk as it arrives, and the chunks read back as one file. */
final class UploadStreams {

    private UploadStreams() {
    }

    /** A stream whose single-byte read goes through its bulk one. */
    abstract static class OneByteReads extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }

    /** Counts what it passes and refuses to pass more than {@code max} bytes. */
    static final class Bounded extends OneByteReads {
        private final InputStream in;
        private final long max;
        long count;

        Bounded(InputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new IOException("the chunk goes past the upload's length");
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The chunks' objects one after another, each opened when the one before it ends. */
    static final class Chunks extends OneByteReads {
        private final BlobStore blobs;
        private final List<String> keys;
        private int next;
        private InputStream current;

        Chunks(BlobStore blobs, List<String> keys) {
            this.blobs = blobs;
            this.keys = new ArrayList<>(keys);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (current == null) {
                    if (next == keys.size()) {
                        return -1;
                    }
                    current = blobs.get(BlobKey.of(keys.get(next++))).stream();
                }
                int n = current.read(b, off, len);
                if (n >= 0) {
                    return n;
                }
                current.close();
                current = null;
            }
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
            next = keys.size();
        }
    }
}
