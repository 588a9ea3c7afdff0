package io.stowage.service;

import java.util.Map;

/**
 * What the service stores, as an administrator sees it (DESIGN §5 {@code /admin} stats).
 *
 * @param total every owner's files and bytes, the trash included (as {@link StorageService#usage})
 * @param byOwner the same per owner, owners storing nothing left out, by owner id
 * @param byBackend per backend name ({@code BlobInfo.backend()}): files with a version there, and the bytes of
 *     the versions there; a version with copies on several backends counts on each
 */
public record ServiceStats(Totals total, Map<String, Totals> byOwner, Map<String, Totals> byBackend) {

    public ServiceStats {
        byOwner = Map.copyOf(byOwner);
        byBackend = Map.copyOf(byBackend);
    }
}
