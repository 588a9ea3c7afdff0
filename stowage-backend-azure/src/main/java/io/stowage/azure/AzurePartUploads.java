package io.stowage.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.Metadata;
import io.stowage.PartUploads;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.spi.io.MeasuringInputStream;
import io.stowage.spi.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.StringJoiner;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Part uploads as staged blocks of a block blob (decision 0058): a part is a Put Block whose id is made of the
 * upload's id and the part's number, the completion a Put Block List with the type, the metadata and the
 * SHA-256. The service keeps nothing for an upload that is begun, so its id carries what the commit needs
 * (the object's type and metadata, and random bytes), encoded. Aborting commits nothing: uncommitted blocks
 * are invisible and the service discards them after a week or at the blob's next commit.
 */
final class AzurePartUploads implements PartUploads {

    private static final Base64.Encoder ID = Base64.getUrlEncoder().withoutPadding();

    private final AzureBlobStore store;
    private final BlobContainerClient container;
    private final AzureErrors errors;
    private final String name;

    AzurePartUploads(AzureBlobStore store, BlobContainerClient container, AzureErrors errors) {
        this.store = store;
        this.container = container;
        this.errors = errors;
        this.name = store.name();
    }

    @Override
    public long minPartSize() {
        return 1;
    }

    @Override
    public int maxParts() {
        return AzureBlobStoreConfig.MAX_BLOCKS;
    }

    @Override
    public Upload begin(BlobKey key, PutOptions options) {
        PartUploads.checkOptions(name, options);
        store.ensureContainer();
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        // <random>.<type>.<metadata as a query string>, each base64url
        StringJoiner meta = new StringJoiner("&");
        options.metadata().forEach((k, v) -> meta.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return new Upload(key, ID.encodeToString(random) + "." + text(options.contentType()) + "." + text(meta.toString()));
    }

    @Override
    public Part putPart(Upload upload, int number, BlobContent content) {
        PartUploads.checkNumber(number, maxParts());
        Described d = described(upload);
        if (content.length().isEmpty()) {
            throw StorageException.invalidArgument("a part on Azure needs its length before it is sent");
        }
        long length = content.length().getAsLong();
        String blockId = blockId(d.random(), number);
        try (InputStream raw = content.open();
                MeasuringInputStream in = MeasuringInputStream.withoutDigest(raw, content.length(), Long.MAX_VALUE, name,
                        upload.key())) {
            container.getBlobClient(upload.key().value()).getBlockBlobClient().stageBlockWithResponse(
                    new BlockBlobStageBlockOptions(blockId, BinaryData.fromStream(in, length)), null, Context.NONE);
            in.transferTo(java.io.OutputStream.nullOutputStream()); // longer than declared: INTEGRITY
            return new Part(number, length, blockId);
        } catch (IOException e) {
            throw StorageException.builder(ErrorKind.UNAVAILABLE).backend(name).operation("put part")
                    .key(upload.key().value()).cause(e).retryable(false)
                    .message("reading part " + number + " of '" + upload.key() + "' failed: " + e).build();
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw errors.translate(e, "put part", upload.key());
        }
    }

    @Override
    public BlobInfo complete(Upload upload, List<Part> parts, Optional<String> sha256) {
        PartUploads.checkParts(parts, minPartSize(), maxParts());
        Described d = described(upload);
        for (Part p : parts) {
            if (!p.etag().equals(blockId(d.random(), p.number()))) {
                throw StorageException.invalidArgument("part " + p.number() + " is not a part of this upload");
            }
        }
        BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(
                parts.stream().map(Part::etag).toList())
                .setHeaders(new BlobHttpHeaders().setContentType(d.contentType()))
                .setMetadata(AzureMetadataCodec.encode(d.metadata(), sha256.orElse(null)));
        try {
            container.getBlobClient(upload.key().value()).getBlockBlobClient()
                    .commitBlockListWithResponse(commit, null, Context.NONE);
        } catch (BlobStorageException e) {
            if (e.getErrorCode() != null && e.getErrorCode().toString().equals("InvalidBlockList")) {
                throw StorageException.notFound(name, "no part upload with these parts for '" + upload.key() + "'");
            }
            throw errors.translate(e, "complete upload", upload.key());
        } catch (RuntimeException e) {
            throw errors.translate(e, "complete upload", upload.key());
        }
        return store.stat(upload.key());
    }

    /** Nothing to do: uncommitted blocks are never visible, and the service discards them. */
    @Override
    public void abort(Upload upload) {
    }

    private record Described(byte[] random, String contentType, Map<String, String> metadata) {
    }

    private Described described(Upload upload) {
        try {
            String[] f = upload.id().split("\\.", -1);
            byte[] random = Base64.getUrlDecoder().decode(f[0]);
            if (f.length != 3 || random.length != 12) {
                throw new IllegalArgumentException("bad upload id");
            }
            Map<String, String> metadata = new HashMap<>();
            String query = untext(f[2]);
            for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                metadata.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return new Described(random, Metadata.validContentType(untext(f[1])), Metadata.validated(metadata));
        } catch (RuntimeException e) {
            throw StorageException.notFound(name, "no part upload '" + upload.id().replaceAll("[^0-9A-Za-z_.-]", "?")
                    .substring(0, Math.min(upload.id().length(), 40)) + "' for '" + upload.key() + "'");
        }
    }

    private static String text(String s) {
        return ID.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String untext(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** 12 bytes of the upload and 4 of the part's number: equal length for every block, as Azure requires. */
    private static String blockId(byte[] random, int number) {
        byte[] mixed = Arrays.copyOf(Sha256.of(random).getBytes(StandardCharsets.US_ASCII), 12);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(16).put(mixed).putInt(number).array());
    }
}
