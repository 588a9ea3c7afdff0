package io.stowage.server;

import io.stowage.service.FilePage;
import io.stowage.service.FileRecord;
import io.stowage.service.VersionRecord;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Answers with a file's record and its {@code ETag}. */
    static void render(io.javalin.http.Context ctx, FileRecord file) {
        ctx.header("ETag", etag(file)).json(of(file));
    }

    /** A page of files: {@code {"files": [...], "nextCursor": "..." or null}}. */
    static Map<String, Object> page(FilePage page) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("files", page.files().stream().map(FileJson::of).toList());
        json.put("nextCursor", page.nextCursor().orElse(null));
        return json;
    }

    /** A file's versions, newest first: {@code {"versions": [...]}}. */
    static Map<String, Object> versions(List<VersionRecord> versions) {
        return Map.of("versions", versions.stream().map(FileJson::version).toList());
    }

    private static Map<String, Object> version(VersionRecord v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", v.id());
        json.put("version", v.number());
        json.put("size", v.size());
        json.put("contentType", v.contentType());
        json.put("sha256", v.sha256());
        json.put("current", v.current());
        json.put("backend", v.backend());
        json.put("metadata", v.metadata());
        json.put("createdAt", v.created().toString());
        return json;
    }

    /** The strong entity tag of a file's current version: its SHA-256, so it holds across failover and migration. */
    static String etag(FileRecord file) {
        return "\"" + file.sha256() + "\"";
    }
}
