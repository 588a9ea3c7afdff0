package io.stowage.service;

/**
 * What an owner stores: every committed version of every file not purged, trash included.
 *
 * @param owner the owner's id
 * @param bytes bytes stored
 * @param files files stored (a file counts once, whatever its number of versions)
 */
public record Usage(String owner, long bytes, long files) {
}
