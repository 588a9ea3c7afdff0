package io.stowage.s3;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * A process that uploads an endless stream to an S3 endpoint until it is killed; the test that starts
 * it sends SIGTERM mid-upload and checks that no multipart upload is left open.
 */
public final class AbandonedUploadChild {

    private AbandonedUploadChild() {
    }

    public static void main(String[] args) {
        Map<String, String> s = new HashMap<>(Map.of("endpoint", args[0], "bucket", args[1],
                "access_key", S3ProxyServer.ACCESS_KEY, "secret_key", S3ProxyServer.SECRET_KEY,
                "part_size", "5MiB", "upload_concurrency", "2"));
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
        try (BlobStore store = S3ProxyServer.open("child", "minio", s)) {
            store.put(BlobKey.of("endless.bin"), BlobContent.ofUnknownLength(endless));
        }
    }
}
