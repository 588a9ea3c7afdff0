package io.stowage.service;

import java.util.OptionalLong;

/**
 * What an owner stores: every committed version of every file not purged, trash included; and the
 * quotas that apply to the owner (its own, else the defaults), empty where there is none.
 *
 * @param owner the owner's id
 * @param bytes bytes stored
 * @param files files stored (a file counts once, whatever its number of versions)
 * @param maxBytes the byte quota
 * @param maxFiles the file quota
 */
public record Usage(String owner, long bytes, long files, OptionalLong maxBytes, OptionalLong maxFiles) {

    /** Usage without quotas. */
    public Usage(String owner, long bytes, long files) {
        this(owner, bytes, files, OptionalLong.empty(), OptionalLong.empty());
    }
}
