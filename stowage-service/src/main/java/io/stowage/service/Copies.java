package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.GetOptions;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The stored copies of committed versions, as {@code scrub} and {@code reconcile} check and repair them: where the
 * catalog says each is, reading one through a SHA-256, and rewriting a bad or missing copy from another that is good.
 */
final class Copies {

    /** One location of a committed version. */
    record Located(String versionId, String fileId, String owner, String sha256, long size, String backend,
                   String blobKey) {

        BlobKey key() {
            return BlobKey.of(blobKey);
        }
    }

    private final ServiceJobs.Parts parts;

    Copies(ServiceJobs.Parts parts) {
        this.parts = parts;
    }

    /** The backends by name: the manager's, or the one store the service runs over. */
    Map<String, BlobStore> stores() {
        return parts.manager() != null ? parts.manager().backends() : Map.of(parts.blobs().name(), parts.blobs());
    }

    /** The store of {@code backend}; the routed store when the service knows no backend of that name. */
    BlobStore store(String backend) {
        return stores().getOrDefault(backend, parts.blobs());
    }

    /**
     * The locations of up to {@code limit} committed versions whose ids follow {@code after} ({@code ""} for the
     * first), by version id, each version's locations together.
     */
    List<Located> page(String after, int limit) {
        return parts.catalog().withHandle("maintenance", h -> h.createQuery(
                        "SELECT v.id, v.file_id, f.owner_id, v.sha256, v.size, l.backend, l.blob_key FROM versions v"
                                + " JOIN files f ON f.id = v.file_id JOIN locations l ON l.version_id = v.id"
                                + " WHERE v.id IN (SELECT id FROM versions WHERE state = 'committed' AND id > :after"
                                + " ORDER BY id LIMIT :limit) ORDER BY v.id, l.backend")
                .bind("after", after).bind("limit", limit)
                .map((rs, c) -> new Located(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7)))
                .list());
    }

    /** Every committed version's locations, a page at a time, grouped by version. */
    static Iterable<List<Located>> byVersion(List<Located> page) {
        Map<String, List<Located>> grouped = new LinkedHashMap<>();
        for (Located l : page) {
            grouped.computeIfAbsent(l.versionId(), k -> new ArrayList<>()).add(l);
        }
        return grouped.values();
    }

    /**
     * The SHA-256 of what {@code store} holds at {@code key}, read once; {@code paced} hears each chunk's length.
     *
     * @throws StorageException the read's failure ({@code NOT_FOUND} for no object)
     */
    static String digest(BlobStore store, BlobKey key, LongConsumer paced) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (BlobRead read = store.get(key, GetOptions.defaults()); InputStream in = read.stream()) {
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                paced.accept(n);
            }
        } catch (IOException e) {
            throw StorageException.io(store.name(), "scrub", key, e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Rewrites {@code bad}'s object from a good copy: another location of the version first ({@code siblings}),
     * then any other backend holding the same key (a mirror replica or a fallback the catalog does not name). The
     * write must match the version's SHA-256 (the backend checks it while streaming, and it is read back), so a bad
     * source changes nothing.
     *
     * @return the backend the good copy came from; empty when no good copy was found
     */
    Optional<String> repair(Located bad, List<Located> siblings) {
        List<String> sources = new ArrayList<>();
        siblings.stream().map(Located::backend).filter(b -> !b.equals(bad.backend())).forEach(sources::add);
        stores().keySet().stream().filter(b -> !b.equals(bad.backend()) && !sources.contains(b)).sorted()
                .forEach(sources::add);
        BlobStore target = store(bad.backend());
        for (String source : sources) {
            BlobStore from = stores().get(source);
            if (from == null) {
                continue;
            }
            try (BlobRead read = from.get(bad.key(), GetOptions.defaults())) {
                target.put(bad.key(), BlobContent.of(read.stream(), bad.size()),
                        PutOptions.builder().contentType(read.info().contentType()).metadata(read.info().metadata())
                                .expectedSha256(bad.sha256()).build());
            } catch (StorageException e) {
                if (e.kind() != ErrorKind.NOT_FOUND && e.kind() != ErrorKind.INTEGRITY && !e.kind().outage()) {
                    throw e;
                }
                continue;
            }
            if (digest(target, bad.key(), n -> { }).equals(bad.sha256())) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    /**
     * Repairs {@code bad} ({@link #repair}), counting it {@code repaired}; one that cannot be is recorded among the
     * failed operations as {@code INTEGRITY}, {@code problem} saying what is wrong with it, and reported as an error.
     */
    void repairOrRecord(Located bad, List<Located> siblings, String problem, JobReport.Builder report) {
        Optional<String> from;
        try {
            from = repair(bad, siblings);
        } catch (StorageException e) {
            from = Optional.empty();
        }
        if (from.isPresent()) {
            report.count("repaired");
            return;
        }
        String reason = "the copy of version " + bad.versionId() + " at " + bad.backend() + " " + problem
                + " and no good copy was found to repair it from";
        parts.failures().record(bad.owner(), "scrub", "file:" + bad.fileId(),
                Map.of("key", bad.blobKey(), "backend", bad.backend(), "version", bad.versionId()),
                StorageException.integrity(bad.backend(), bad.key(), reason));
        report.error("INTEGRITY: file " + bad.fileId() + ": " + reason);
    }
}
