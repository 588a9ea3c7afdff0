package io.stowage.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.spi.PooledJson;
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

    /** What reads a sidecar: a parser over the shared buffers, without a mapper. */
    private static final JsonFactory FACTORY = PooledJson.factory();
    private static final int SCHEMA = 1;

    /**
     * The mapper that writes sidecars, built on first write: building one (its date format, type factory and
     * serializer tables) cost a reading process such as a raw migration from this backend about 30 ms of CPU at
     * every start, for a mapper it never used (decision 0110).
     */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper(FACTORY);
    }

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
        ObjectNode n = Writer.JSON.createObjectNode();
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
            return Writer.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a sidecar", e);
        }
    }

    /**
     * Parses a sidecar, token by token: every read of an object parses one, and building a tree of it first was
     * most of a small read's time in this backend (decision 0067).
     *
     * @throws IOException when the bytes are not a sidecar of a known schema
     */
    static Sidecar parse(byte[] json) throws IOException {
        return parse(json, null);
    }

    /**
     * As {@link #parse(byte[])}, for a sidecar expected to be {@code expected}'s (or null): a sidecar that names that key
     * takes it as it is, already checked, instead of checking the same text again.
     */
    static Sidecar parse(byte[] json, BlobKey expected) throws IOException {
        Map<String, String> fields = new java.util.HashMap<>();
        Map<String, String> md = new TreeMap<>();
        int schema = -1;
        long size = 0;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a sidecar of schema " + SCHEMA);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "schema" -> schema = value.isNumeric() ? p.getIntValue() : -1;
                    case "size" -> size = value.isNumeric() ? p.getLongValue() : 0;
                    case "metadata" -> {
                        if (value == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String name = p.currentName();
                                JsonToken v = p.nextToken();
                                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                                    p.skipChildren();
                                    md.put(name, "");
                                } else {
                                    md.put(name, p.getValueAsString(""));
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> {
                        if (value == JsonToken.VALUE_STRING) {
                            fields.put(field, p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("malformed sidecar: " + e.getOriginalMessage(), e);
        }
        if (schema != SCHEMA) {
            throw new IOException("not a sidecar of schema " + SCHEMA);
        }
        try {
            String deleted = fields.get("deleted");
            String named = text(fields, "key");
            BlobKey key = expected != null && expected.value().equals(named) ? expected : BlobKey.of(named);
            return new Sidecar(key, size, text(fields, "sha256"),
                    text(fields, "content_type"), md, instant(text(fields, "created")),
                    instant(text(fields, "modified")), text(fields, "version_id"),
                    deleted == null ? null : instant(deleted));
        } catch (RuntimeException e) {
            throw new IOException("malformed sidecar: " + e.getMessage(), e);
        }
    }

    /**
     * An instant as {@link Instant#toString()} writes it ({@code 2026-12-03T21:00:00.123456Z}: a four-digit year,
     * seconds, 0 to 9 digits of fraction), read without a formatter: {@link Instant#parse} of the two in every
     * sidecar was a tenth of an object read's own time (decision 0082). Anything else goes to {@link Instant#parse}.
     */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n > 20 && (s.charAt(19) != '.' || n == 21))) {
            return Instant.parse(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int fraction = n == 20 ? 0 : digits(s, 20, n - 1);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > java.time.YearMonth.of(year, month)
                .lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || fraction < 0) {
            return Instant.parse(s);
        }
        for (int i = n - 1; i < 29; i++) {
            fraction *= 10; // to nanoseconds: 9 digits
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, fraction);
    }

    /** The decimal number of {@code s} from {@code from} to {@code to}, or -1 when anything there is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String text(Map<String, String> fields, String field) throws IOException {
        String v = fields.get(field);
        if (v == null) {
            throw new IOException("sidecar field '" + field + "' is missing");
        }
        return v;
    }
}
