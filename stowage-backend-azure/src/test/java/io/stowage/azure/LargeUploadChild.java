package io.stowage.azure;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobStore;
import io.stowage.spi.io.Sha256;
import io.stowage.testkit.Contents;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * A process with a small heap that uploads {@code MiB} mebibytes of unknown length to Azurite and reads
 * them back: that it finishes at all shows memory does not grow with the size. Prints the SHA-256 the
 * put reported and the one of what was read, on one line.
 */
public final class LargeUploadChild {

    private LargeUploadChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of("account_name", AzuriteServer.ACCOUNT, "account_key",
                AzuriteServer.KEY, "endpoint", args[0], "container", args[1]));
        long size = Long.parseLong(args[2]) * 1024 * 1024;
        InputStream generated = Contents.generated(300, size);
        try (BlobStore store = AzuriteServer.open("child", s)) {
            BlobInfo put = store.put(BlobKey.of("large/unknown-length.bin"), BlobContent.ofUnknownLength(generated));
            MessageDigest digest = Sha256.newDigest();
            long read = 0;
            try (InputStream in = store.get(BlobKey.of("large/unknown-length.bin")).stream()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; read += n) {
                    digest.update(buf, 0, n);
                }
            }
            System.out.println(put.size() + " " + read + " " + put.sha256().orElse("-") + " "
                    + Sha256.hex(digest.digest()));
        }
    }
}
