package dev.sluice.buffer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * Turns a batch of items into the bytes that are stored, and back. JSON is the default;
 * {@link #messagePack} is smaller and faster; implement this interface for anything else.
 *
 * <p>Implementations must be thread-safe: the queue calls them from several threads at once.
 * A batch encoded by one version of a codec must stay decodable by the next, since batches may
 * wait in the store across an upgrade.
 */
public interface Codec<T> {

    /** Encodes the items of one batch, in order. */
    byte[] encode(List<T> items) throws IOException;

    /** Decodes what {@link #encode} made, in the same order. */
    List<T> decode(byte[] bytes) throws IOException;

    /**
     * About how many bytes {@code item} adds to an encoded batch, for the queue's
     * {@code flushBytes} trigger. Called once per push. The default encodes the item alone;
     * override it when that is costly and a cheaper estimate exists.
     */
    default long sizeOf(T item) throws IOException {
        return encode(List.of(item)).length;
    }

    /** JSON through Jackson (java.time supported, unknown properties ignored). */
    static <T> Codec<T> json(Class<T> itemType) {
        ObjectMapper mapper = JacksonCodec.json();
        return new JacksonCodec<>("json", mapper, mapper.constructType(itemType));
    }

    /** JSON through Jackson, for generic item types such as {@code Map<String, Long>}. */
    static <T> Codec<T> json(TypeReference<T> itemType) {
        ObjectMapper mapper = JacksonCodec.json();
        return new JacksonCodec<>("json", mapper, mapper.constructType(itemType));
    }

    /** MessagePack through Jackson (org.msgpack:jackson-dataformat-msgpack). */
    static <T> Codec<T> messagePack(Class<T> itemType) {
        ObjectMapper mapper = JacksonCodec.messagePack();
        return new JacksonCodec<>("messagepack", mapper, mapper.constructType(itemType));
    }

    /** MessagePack through Jackson, for generic item types. */
    static <T> Codec<T> messagePack(TypeReference<T> itemType) {
        ObjectMapper mapper = JacksonCodec.messagePack();
        return new JacksonCodec<>("messagepack", mapper, mapper.constructType(itemType));
    }

    /**
     * Through the caller's Jackson mapper, in whatever format it writes (JSON, Smile, CBOR,
     * MessagePack…). The mapper must not be reconfigured afterwards.
     */
    static <T> Codec<T> jackson(ObjectMapper mapper, Class<T> itemType) {
        if (mapper == null) {
            throw new IllegalArgumentException("mapper must not be null");
        }
        return new JacksonCodec<>("jackson", mapper, mapper.constructType(itemType));
    }
}
