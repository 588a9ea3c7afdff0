package io.stowage.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON request bodies: an object, or 400; a body declared as something else than JSON, 415. */
final class JsonBodies {

    /** The largest JSON body a route reads. */
    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonBodies() {
    }

    /** The request's body as a JSON object; an empty body is an empty object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Context ctx) {
        String type = UploadBodies.mediaType(ctx.contentType());
        if (type != null && !type.equalsIgnoreCase("application/json") && !type.toLowerCase(java.util.Locale.ROOT).endsWith("+json")) {
            throw StorageException.builder(ErrorKind.UNSUPPORTED_MEDIA_TYPE).operation("read body")
                    .message("this route takes application/json, not " + printable(type)).build();
        }
        byte[] body;
        try (var in = ctx.req().getInputStream()) {
            body = in.readNBytes(MAX_BYTES + 1);
        } catch (java.io.IOException e) {
            throw StorageException.invalidArgument("the request body could not be read");
        }
        if (body.length > MAX_BYTES) {
            throw StorageException.builder(ErrorKind.TOO_LARGE).operation("read body")
                    .message("a JSON body may be at most " + MAX_BYTES + " bytes").build();
        }
        if (body.length == 0) {
            return Map.of();
        }
        try {
            Object value = MAPPER.readValue(body, Object.class);
            if (!(value instanceof Map<?, ?> map)) {
                throw StorageException.invalidArgument("the body must be a JSON object");
            }
            return (Map<String, Object>) map;
        } catch (JsonProcessingException e) {
            throw StorageException.invalidArgument("the body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw StorageException.invalidArgument("the body could not be read as JSON");
        }
    }

    /** A JSON object of strings, as metadata is. */
    static Map<String, String> stringMap(Object value, String field) {
        if (!(value instanceof Map<?, ?> map)) {
            throw StorageException.invalidArgument("'" + field + "' must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw StorageException.invalidArgument("'" + field + "' must be an object of strings");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    /** A whole number field, when present. */
    static java.util.OptionalLong longField(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return java.util.OptionalLong.empty();
        }
        if (v instanceof Integer || v instanceof Long) {
            return java.util.OptionalLong.of(((Number) v).longValue());
        }
        throw StorageException.invalidArgument("'" + field + "' must be a whole number");
    }

    /** A text field, when present. */
    static java.util.Optional<String> textField(Map<String, Object> body, String field) {
        Object v = body.get(field);
        if (v == null) {
            return java.util.Optional.empty();
        }
        if (v instanceof String s) {
            return java.util.Optional.of(s);
        }
        throw StorageException.invalidArgument("'" + field + "' must be a string");
    }

    /** Client text fit to quote in a message: printable ASCII, at most 64 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
