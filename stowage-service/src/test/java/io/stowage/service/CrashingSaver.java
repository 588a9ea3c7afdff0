package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.ForwardingBlobStore;
import io.stowage.PutOptions;
import io.stowage.local.LocalBlobStore;
import io.stowage.testkit.Contents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The process {@link CrashSafetySpec} kills with SIGKILL: it opens the service over a local backend and saves a
 * large file of owner {@code ada}, then waits to be killed at the point its first argument names, saying so on
 * stdout first:
 * <ul>
 *   <li>{@code streaming}: the content is a stream of unknown length that delivers {@value #STREAMED} bytes and
 *       then blocks, as a slow client does; the process prints {@code STREAMING} once they are read;
 *   <li>{@code stored}: the backend has taken the whole object and the catalog has not committed it; the process
 *       prints {@code STORED}.
 * </ul>
 * Arguments: the point, the backend's root, then the service's settings as {@code NAME=value}.
 */
final class CrashingSaver {

    static final long STREAMED = 8L << 20;
    static final int STORED_SIZE = 4 << 20;

    private CrashingSaver() {
    }

    public static void main(String[] args) throws Exception {
        String point = args[0];
        Map<String, String> env = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            env.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        LocalBlobStore local = LocalBlobStore.open(Path.of(args[1]));
        BlobStore store = point.equals("stored") ? new ForwardingBlobStore(local) {
            @Override
            public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
                BlobInfo stored = super.put(key, content, options);
                announce("STORED");
                return hang();
            }
        } : local;
        StorageService service = StorageService.open(ServiceTestBase.settingsOf(env, Path.of(args[1])), store);
        BlobContent content = point.equals("stored") ? BlobContent.of(Contents.bytes(7, STORED_SIZE))
                : BlobContent.ofUnknownLength(new SlowClient(Contents.generated(7, Long.MAX_VALUE)));
        service.save("ada", "big.bin", content, SaveOptions.defaults());
        announce("SAVED"); // never, unless the test failed to kill
    }

    static void announce(String what) {
        System.out.println(what);
        System.out.flush();
    }

    static <T> T hang() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("woken up instead of killed");
    }

    /** Delivers {@link #STREAMED} bytes, then says so and blocks. */
    private static final class SlowClient extends InputStream {
        private final InputStream in;
        private long delivered;

        SlowClient(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (delivered >= STREAMED) {
                announce("STREAMING");
                return hang();
            }
            int n = in.read(b, off, (int) Math.min(len, STREAMED - delivered));
            delivered += Math.max(n, 0);
            return n;
        }
    }
}
