package io.stowage.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON record kept beside every object, version and trashed object: the real key (file names may
 * be hashed), and everything about the content it describes, including the version id that names the
 * data file. Sidecars are replaced by atomic rename only, so a reader sees a whole one or none.
 *
 * @param deleted when the object went to the trash; null for live objects and versions
 */
record Sidecar(BlobKey key, long size, String sha256, String contentType, Map<String, String> metadata,
        Instant created, Instant modified, String versionId, Instant deleted) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCHEMA = 1;

    Sidecar {
        metadata = Map.copyOf(metadata);
    }

    BlobInfo toInfo(String backend) {
        return BlobInfo.builder(key).size(size).sha256(sha256).etag(sha256).contentType(contentType)
                .metadata(metadata).created(created).modified(modified).versionId(versionId).backend(backend)
                .build();
    }

    Sidecar withVersion(String id, Instant now) {
        return new Sidecar(key, size, sha256, contentType, metadata, now, now, id, null);
    }

    Sidecar withDeleted(Instant at) {
        return new Sidecar(key, size, sha256, contentType, metadata, created, modified, versionId, at);
    }

    byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("key", key.value());
        n.put("size", size);
        n.put("sha256", sha256);
        n.put("content_type", contentType);
        ObjectNode md = n.putObject("metadata");
        new TreeMap<>(metadata).forEach(md::put);
        n.putNull("tier");
        n.put("created", created.toString());
        n.put("modified", modified.toString());
        n.put("version_id", versionId);
        if (deleted != null) {
            n.put("deleted", deleted.toString());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a sidecar", e);
        }
    }

    /**
     * Parses a sidecar.
     *
     * @throws IOException when the bytes are not a sidecar of a known schema
     */
    static Sidecar parse(byte[] json) throws IOException {
        JsonNode n = JSON.readTree(json);
        if (n == null || !n.isObject() || n.path("schema").asInt() != SCHEMA) {
            throw new IOException("not a sidecar of schema " + SCHEMA);
        }
        try {
            Map<String, String> md = new TreeMap<>();
            n.path("metadata").properties().forEach(e -> md.put(e.getKey(), e.getValue().asText()));
            JsonNode deleted = n.get("deleted");
            return new Sidecar(BlobKey.of(text(n, "key")), n.path("size").asLong(), text(n, "sha256"),
                    text(n, "content_type"), md, Instant.parse(text(n, "created")),
                    Instant.parse(text(n, "modified")), text(n, "version_id"),
                    deleted == null || deleted.isNull() ? null : Instant.parse(deleted.asText()));
        } catch (RuntimeException e) {
            throw new IOException("malformed sidecar: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("sidecar field '" + field + "' is missing");
        }
        return v.asText();
    }
}
