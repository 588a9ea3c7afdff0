package io.stowage.service;

import java.util.List;
import java.util.Optional;

/**
 * One page of an owner's files in name order (UTF-8 byte order, ties by id).
 *
 * @param files this page
 * @param nextCursor where the next page starts; empty on the last page. Stable: a file saved or
 *     deleted meanwhile does not make the next page repeat or skip another file.
 */
public record FilePage(List<FileRecord> files, Optional<String> nextCursor) {

    public FilePage {
        files = List.copyOf(files);
    }
}
