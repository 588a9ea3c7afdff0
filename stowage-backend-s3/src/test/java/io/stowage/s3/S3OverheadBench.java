package io.stowage.s3;

import static io.stowage.testkit.OverheadBench.pattern;
import static io.stowage.testkit.OverheadBench.time;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.testkit.OverheadBench;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * bench/s3-overhead: put and get throughput of {@link S3BlobStore} against the raw SDK doing the same
 * thing, on the same s3proxy in the same run, as ratios (raw time ÷ Stowage time, 1.0 = no overhead).
 *
 * <ul>
 *   <li>{@code server <dir> <port-file>}: runs s3proxy over files in {@code dir} until killed.
 *   <li>{@code client <endpoint> <count> <small KiB> <large MiB> <rounds>}: the measurement, run in a
 *       small heap; the large object goes up as unknown-length content (multipart).
 * </ul>
 */
public final class S3OverheadBench {

    private S3OverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            S3ProxyServer server = S3ProxyServer.start(Path.of(args[1]), 0);
            Files.writeString(Path.of(args[2]), server.endpoint().toString());
            Thread.currentThread().join();
            return;
        }
        String endpoint = args[1];
        int count = Integer.parseInt(args[2]);
        long small = Long.parseLong(args[3]) * 1024;
        long large = Long.parseLong(args[4]) * 1024 * 1024;
        int rounds = Integer.parseInt(args[5]);
        Map<String, String> settings = new java.util.HashMap<>(Map.of("endpoint", endpoint, "bucket", "bench",
                "access_key", S3ProxyServer.ACCESS_KEY, "secret_key", S3ProxyServer.SECRET_KEY,
                "request_timeout", "5m"));
        List<double[]> ratios = new ArrayList<>();
        // The raw SDK has no unknown-length put: the same thing is a multipart upload with the same part
        // size and as many parts in flight as the store uses (its defaults).
        S3BlobStoreConfig defaults = S3BlobStoreConfig.from(new io.stowage.spi.BackendConfig("raw", "minio", settings,
                Path.of("target")));
        int partSize = (int) defaults.partSize();
        int concurrency = defaults.uploadConcurrency();
        java.util.concurrent.ExecutorService parts = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try (BlobStore store = S3ProxyServer.open("bench", "minio", settings);
                S3Client raw = S3Clients.client(S3BlobStoreConfig.from(new io.stowage.spi.BackendConfig("raw", "minio",
                        settings, Path.of("target"))), List.of())) {
            store.health();
            for (int round = 1; round <= rounds; round++) {
                long rawPut = time(() -> {
                    for (int i = 0; i < count; i++) {
                        String k = "raw/small-" + i;
                        raw.putObject(p -> p.bucket("bench").key(k), RequestBody.fromInputStream(pattern(small), small));
                    }
                });
                long ourPut = time(() -> {
                    for (int i = 0; i < count; i++) {
                        store.put(BlobKey.of("ours/small-" + i), BlobContent.of(pattern(small), small));
                    }
                });
                long rawGet = time(() -> {
                    for (int i = 0; i < count; i++) {
                        String k = "raw/small-" + i;
                        try (ResponseInputStream<?> in = raw.getObject(g -> g.bucket("bench").key(k))) {
                            in.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                    }
                });
                long ourGet = time(() -> {
                    for (int i = 0; i < count; i++) {
                        try (BlobRead r = store.get(BlobKey.of("ours/small-" + i))) {
                            r.stream().transferTo(java.io.OutputStream.nullOutputStream());
                        }
                    }
                });
                long rawBigPut = time(() -> rawMultipart(raw, "raw/large", pattern(large), parts, partSize, concurrency));
                long ourBigPut = time(() -> store.put(BlobKey.of("ours/large"), BlobContent.ofUnknownLength(pattern(large))));
                long rawBigGet = time(() -> {
                    try (ResponseInputStream<?> in = raw.getObject(g -> g.bucket("bench").key("raw/large"))) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                });
                long ourBigGet = time(() -> {
                    try (BlobRead r = store.get(BlobKey.of("ours/large"))) {
                        r.stream().transferTo(java.io.OutputStream.nullOutputStream());
                    }
                });
                ratios.add(OverheadBench.round(round, new long[] {rawPut, rawGet, rawBigPut, rawBigGet},
                        new long[] {ourPut, ourGet, ourBigPut, ourBigGet}));
            }
        }
        OverheadBench.report("S3BlobStore", count, small, large, ratios);
    }

    /**
     * What a user of the raw SDK writes for a stream of unknown length: read a part, send it with at most
     * {@code concurrency} parts in flight, complete. No digest, no abort handling beyond the bench's needs.
     */
    static void rawMultipart(S3Client raw, String key, InputStream in, java.util.concurrent.ExecutorService pool,
            int partSize, int concurrency) throws Exception {
        String uploadId = raw.createMultipartUpload(c -> c.bucket("bench").key(key)).uploadId();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(concurrency);
        List<java.util.concurrent.Future<software.amazon.awssdk.services.s3.model.CompletedPart>> sent = new ArrayList<>();
        java.util.concurrent.BlockingQueue<byte[]> buffers = new java.util.concurrent.LinkedBlockingQueue<>();
        for (int number = 1;; number++) {
            slots.acquire();
            byte[] buf = buffers.poll();
            buf = buf != null ? buf : new byte[partSize];
            int n = in.readNBytes(buf, 0, partSize);
            if (n == 0 && number > 1) {
                slots.release();
                break;
            }
            int part = number;
            byte[] body = buf;
            sent.add(pool.submit(() -> {
                try {
                    var r = raw.uploadPart(u -> u.bucket("bench").key(key).uploadId(uploadId).partNumber(part)
                            .contentLength((long) n), RequestBody.fromContentProvider(
                                    () -> new java.io.ByteArrayInputStream(body, 0, n), n, "application/octet-stream"));
                    return software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(part)
                            .eTag(r.eTag()).build();
                } finally {
                    buffers.offer(body);
                    slots.release();
                }
            }));
            if (n < partSize) {
                break;
            }
        }
        List<software.amazon.awssdk.services.s3.model.CompletedPart> done = new ArrayList<>();
        for (var f : sent) {
            done.add(f.get());
        }
        raw.completeMultipartUpload(c -> c.bucket("bench").key(key).uploadId(uploadId).multipartUpload(u -> u.parts(done)));
    }
}
