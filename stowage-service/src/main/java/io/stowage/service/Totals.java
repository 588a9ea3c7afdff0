package io.stowage.service;

/**
 * How many files and bytes something holds (an owner, a backend, everything).
 *
 * @param files files counted once each, whatever their number of versions
 * @param bytes bytes of every committed version
 */
public record Totals(long files, long bytes) {
}
