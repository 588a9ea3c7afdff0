package io.stowage.gcs;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.spi.BackendConfig;
import io.stowage.testkit.Contents;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A process with a small heap that uploads {@code MiB} mebibytes of unknown length to a
 * {@link CapturingGcsServer} at {@code endpoint}: that it finishes at all shows memory does not grow
 * with the size. Prints the size and the SHA-256 the put reported, on one line.
 */
public final class LargeUploadChild {

    private LargeUploadChild() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[1]) * 1024 * 1024;
        InputStream generated = Contents.generated(300, size);
        Map<String, String> settings = Map.of("bucket", CapturingGcsServer.BUCKET, "endpoint", args[0],
                "max_attempts", "1");
        try (BlobStore store = new GcsBlobStore(GcsBlobStoreConfig.from(new BackendConfig("child", "gcs", settings,
                Path.of("target"))))) {
            BlobInfo put = store.put(BlobKey.of("large/unknown-length.bin"), BlobContent.ofUnknownLength(generated));
            System.out.println(put.size() + " " + put.sha256().orElse("-"));
        }
    }
}
