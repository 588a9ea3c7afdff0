package io.stowage.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.StorageException;
import io.stowage.spi.PooledJson;
import java.util.Map;

/** String maps as the JSON text the catalog keeps them in (metadata, event payloads). */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper(PooledJson.factory());
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private Json() {
    }

    static String write(Map<String, String> map) {
        try {
            return MAPPER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw StorageException.internal(CatalogDatabase.NAME, "write", "cannot encode a map as JSON", e);
        }
    }

    static Map<String, String> read(String json) {
        if ("{}".equals(json)) {
            // Most files carry no metadata: every record read decoded this through Jackson (decision 0067).
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw StorageException.internal(CatalogDatabase.NAME, "read", "cannot decode a JSON map", e);
        }
    }
}
