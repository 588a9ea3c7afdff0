package io.stowage.server;

import io.stowage.service.FileRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** A file record as the API writes it (DESIGN §5). */
final class FileJson {

    private FileJson() {
    }

    static Map<String, Object> of(FileRecord file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", file.id());
        json.put("name", file.name());
        json.put("size", file.size());
        json.put("contentType", file.contentType());
        json.put("sha256", file.sha256());
        json.put("version", file.version());
        json.put("versionId", file.versionId());
        json.put("tier", file.tier().name());
        json.put("backend", file.backend());
        json.put("segment", file.segment().orElse(null));
        json.put("metadata", file.metadata());
        json.put("createdAt", file.created().toString());
        json.put("updatedAt", file.updated().toString());
        return json;
    }

    /** The strong entity tag of a file's current version: its SHA-256, so it holds across failover and migration. */
    static String etag(FileRecord file) {
        return "\"" + file.sha256() + "\"";
    }
}
