package io.stowage.azure;

import static io.stowage.testkit.OverheadBench.pair;
import static io.stowage.testkit.OverheadBench.pattern;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.testkit.OverheadBench;
import io.stowage.testkit.OverheadBench.Step;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bench/azure-overhead: put and get throughput of {@link AzureBlobStore} against the raw Azure SDK doing
 * the same thing, on one Azurite in the same run, as ratios (raw time ÷ Stowage time, 1.0 = no
 * overhead): {@code count} blobs of {@code small} KiB from streams of known length, then one blob of
 * {@code large} MiB of unknown length (the raw SDK: its parallel upload with the same block size and
 * blocks in flight), each read back as a stream; the small blobs are read {@code passes} times a round.
 *
 * <p>A round of 200 gets of 1 MiB lasts about a second a side, and one pause of the emulator's or of
 * this JVM's collector falls on one side only: such rounds swung 0.8–1.2 with the same code on both
 * sides. More gets a round (the blobs read again, so Azurite holds no more data) make each round's
 * ratio steadier; the medians are of rounds, as before.
 *
 * <p>Arguments: {@code <count> <small KiB> <large MiB> <rounds> [passes]}.
 */
public final class AzureOverheadBench {

    private AzureOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long small = Long.parseLong(args[1]) * 1024;
        long large = Long.parseLong(args[2]) * 1024 * 1024;
        int rounds = Integer.parseInt(args[3]);
        int passes = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        List<double[]> ratios = new ArrayList<>();
        try (AzuriteServer server = AzuriteServer.start()) {
            Map<String, String> settings = server.settings();
            settings.put("request_timeout", "5m");
            try (BlobStore store = AzuriteServer.open("bench", settings)) {
                store.health();
                AzureBlobStoreConfig defaults = ((AzureBlobStore) unwrap(store)).config();
                BlobContainerClient raw = new BlobServiceClientBuilder().connectionString(server.connectionString())
                        .buildClient().getBlobContainerClient(settings.get("container"));
                ParallelTransferOptions parallel = new ParallelTransferOptions().setBlockSizeLong(defaults.blockSize())
                        .setMaxConcurrency(defaults.uploadConcurrency()).setMaxSingleUploadSizeLong(defaults.blockSize());
                // Round 0 warms both up and is not counted; later rounds alternate who goes first, so
                // neither side always meets a JVM (or an emulator) fresh from the other's garbage.
                for (int round = 0; round <= rounds; round++) {
                    boolean rawFirst = round % 2 == 1;
                    // Small operations interleave one by one, so a drift of the emulator (its heap, its
                    // event loop) falls on both sides alike.
                    long[] put = new long[2];
                    long[] get = new long[2];
                    for (int i = 0; i < count; i++) {
                        int n = i;
                        Step rawPut = () -> raw.getBlobClient("raw/small-" + n).getBlockBlobClient().uploadWithResponse(
                                // The SDK marks and resets a stream to retry: give it one that can.
                                new BlockBlobSimpleUploadOptions(new java.io.BufferedInputStream(pattern(small),
                                        (int) small + 1), small), null, null);
                        Step ourPut = () -> store.put(BlobKey.of("ours/small-" + n), BlobContent.of(pattern(small), small));
                        add(put, pair(rawFirst ^ (i % 2 == 1), rawPut, ourPut));
                    }
                    for (int i = 0; i < count * passes; i++) {
                        int n = i % count;
                        Step rawGet = () -> {
                            try (InputStream in = raw.getBlobClient("raw/small-" + n).openInputStream()) {
                                in.transferTo(OutputStream.nullOutputStream());
                            }
                        };
                        Step ourGet = () -> {
                            try (BlobRead r = store.get(BlobKey.of("ours/small-" + n))) {
                                r.stream().transferTo(OutputStream.nullOutputStream());
                            }
                        };
                        add(get, pair(rawFirst ^ (i % 2 == 1), rawGet, ourGet));
                    }
                    Step rawBigPutStep = () -> raw.getBlobClient("raw/large").uploadWithResponse(
                            new BlobParallelUploadOptions(pattern(large)).setParallelTransferOptions(parallel), null,
                            null);
                    Step ourBigPutStep = () -> store.put(BlobKey.of("ours/large"),
                            BlobContent.ofUnknownLength(pattern(large)));
                    Step rawBigGetStep = () -> {
                        try (InputStream in = raw.getBlobClient("raw/large").openInputStream()) {
                            in.transferTo(OutputStream.nullOutputStream());
                        }
                    };
                    Step ourBigGetStep = () -> {
                        try (BlobRead r = store.get(BlobKey.of("ours/large"))) {
                            r.stream().transferTo(OutputStream.nullOutputStream());
                        }
                    };
                    long[] bigPut = pair(rawFirst, rawBigPutStep, ourBigPutStep);
                    long[] bigGet = pair(rawFirst, rawBigGetStep, ourBigGetStep);
                    long rawPut = put[0], ourPut = put[1], rawGet = get[0], ourGet = get[1];
                    long rawBigPut = bigPut[0], ourBigPut = bigPut[1], rawBigGet = bigGet[0], ourBigGet = bigGet[1];
                    if (round == 0) {
                        continue;
                    }
                    ratios.add(OverheadBench.round(round, new long[] {rawPut, rawGet, rawBigPut, rawBigGet},
                            new long[] {ourPut, ourGet, ourBigPut, ourBigGet}));
                }
            }
        }
        OverheadBench.report("AzureBlobStore", count, count * passes, small, large, ratios);
    }

    private static BlobStore unwrap(BlobStore store) {
        BlobStore s = store;
        while (s instanceof io.stowage.ForwardingBlobStore f) {
            s = f.delegate();
        }
        return s;
    }

    private static void add(long[] sum, long[] more) {
        sum[0] += more[0];
        sum[1] += more[1];
    }
}
