package io.stowage.service;

import io.stowage.Tier;
import java.util.Map;

/**
 * What the service stores, as an administrator sees it (DESIGN §5 {@code /admin} stats).
 *
 * @param total every owner's files and bytes, the trash included (as {@link StorageService#usage})
 * @param byOwner the same per owner, owners storing nothing left out, by owner id
 * @param byBackend per backend name ({@code BlobInfo.backend()}): files with a version there, and the bytes of
 *     the versions there; a version with copies on several backends counts on each
 * @param byTier per tier of the file: its files, and the bytes of all their versions (which share the file's tier)
 * @param bySegment per segment, files saved in none under {@value #NO_SEGMENT}: their files and the bytes of all
 *     their versions
 */
public record ServiceStats(Totals total, Map<String, Totals> byOwner, Map<String, Totals> byBackend,
                           Map<Tier, Totals> byTier, Map<String, Totals> bySegment) {

    /** The key of {@link #bySegment()} that counts files saved in no segment. */
    public static final String NO_SEGMENT = "";

    public ServiceStats {
        byOwner = Map.copyOf(byOwner);
        byBackend = Map.copyOf(byBackend);
        byTier = Map.copyOf(byTier);
        bySegment = Map.copyOf(bySegment);
    }
}
