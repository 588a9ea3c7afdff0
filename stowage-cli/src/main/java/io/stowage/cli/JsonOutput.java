package io.stowage.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.stowage.BlobInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code --json} output for scripts: one object per blob, with the same names in {@code ls} and
 * {@code stat} (times in ISO-8601 UTC, sizes in bytes, a missing value as {@code null}). A listing is one
 * array written item by item, so memory stays flat however many keys there are.
 */
final class JsonOutput {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonOutput() {
    }

    /** {@code info} as one object and a newline. */
    static void object(PrintWriter out, BlobInfo info) {
        write(out, g -> blob(g, info));
    }

    /** Every blob of {@code all} in one array and a newline; stops when the reader went away. */
    static void array(PrintWriter out, Stream<BlobInfo> all) {
        write(out, g -> {
            g.writeStartArray();
            all.forEach(info -> {
                try {
                    blob(g, info);
                    g.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (out.checkError()) {
                    throw new StowageCli.OutputClosed(null);
                }
            });
            g.writeEndArray();
        });
    }

    /** Writes one JSON value. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON value written by {@code body}, then a newline. */
    static void write(PrintWriter out, Body body) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }

    private static void blob(JsonGenerator g, BlobInfo info) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", info.key().value());
        g.writeNumberField("size", info.size());
        g.writeStringField("modified", info.modified().toString());
        g.writeStringField("created", info.created().toString());
        g.writeStringField("content_type", info.contentType());
        optional(g, "sha256", info.sha256());
        optional(g, "etag", info.etag());
        optional(g, "version_id", info.versionId());
        optional(g, "tier", info.tier().map(Enum::name));
        g.writeStringField("backend", info.backend());
        g.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> e : new TreeMap<>(info.metadata()).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        } else {
            g.writeNullField(name);
        }
    }
}
