package dev.sluice.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.internal.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of an object's canonical JSON (keys sorted), so that two equal contents hash alike
 * whatever order a map or a source query produced their fields in. Thread-safe.
 */
final class ContentHasher {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ContentHasher() {
    }

    static JsonNode tree(Object content) {
        return Json.mapper().valueToTree(content);
    }

    static String hash(JsonNode content) {
        try {
            Object sorted = CANONICAL.treeToValue(content, Object.class);
            byte[] bytes = CANONICAL.writeValueAsBytes(sorted);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("content cannot be written as JSON: " + e.getOriginalMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
