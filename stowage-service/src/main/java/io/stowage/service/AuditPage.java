package io.stowage.service;

import java.util.List;
import java.util.Optional;

/** One page of the audit log, oldest first; {@code nextCursor} is empty on the last page. */
public record AuditPage(List<AuditEntry> entries, Optional<String> nextCursor) {

    public AuditPage {
        entries = List.copyOf(entries);
    }
}
