package io.stowage.local;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Child process of {@link KillDuringWriteTest}: puts an endless generated stream (declared as 1 TiB) to
 * a key, so it is always in the middle of the write when it is killed.
 *
 * <p>Usage: {@code SlowWriter <root> <key>}
 */
public final class SlowWriter {

    private SlowWriter() {
    }

    public static void main(String[] args) {
        LocalBlobStore store = LocalBlobStore.open(Path.of(args[0]));
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        store.put(BlobKey.of(args[1]), BlobContent.of(endless, 1L << 40));
        System.exit(3); // never reached: the stream does not end
    }
}
