package io.stowage.service;

import io.stowage.StorageException;
import java.util.List;
import java.util.Optional;

/** Pages of an owner's files, for {@link StorageService#list} and {@link StorageService#trash}. */
final class FilePages {

    private final CatalogDatabase catalog;
    private final FileCatalog files;

    FilePages(CatalogDatabase catalog, FileCatalog files) {
        this.catalog = catalog;
        this.files = files;
    }

    /**
     * Up to {@code limit} files of {@code owner} in {@code state} under {@code prefix}, in {@code segment} when it
     * is present, after {@code cursor}; the cursor of a page names its last file, so files saved or deleted
     * meanwhile make no other file repeat or go missing.
     */
    FilePage page(String owner, String state, String prefix, Optional<String> segment, String cursor, int limit) {
        Names.owner(owner);
        segment.ifPresent(Names::segment);
        if (limit < 1 || limit > StorageService.MAX_PAGE) {
            throw StorageException.invalidArgument("limit must be 1 to " + StorageService.MAX_PAGE + ", was " + limit);
        }
        Optional<ListCursor> after = ListCursor.decode(cursor);
        List<FileCatalog.Entry> rows = catalog.read("list",
                h -> files.list(h, owner, state, prefix, segment, after, limit + 1));
        List<FileRecord> page = rows.stream().limit(limit).map(FileCatalog.Entry::record).toList();
        Optional<String> next = rows.size() > limit
                ? Optional.of(new ListCursor(page.getLast().name(), page.getLast().id()).encode()) : Optional.empty();
        return new FilePage(page, next);
    }
}
