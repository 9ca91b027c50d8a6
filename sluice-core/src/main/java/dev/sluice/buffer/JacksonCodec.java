package dev.sluice.buffer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.List;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A batch as one Jackson array of items. Readers and writers are made once: they are immutable
 * and thread-safe, unlike a mapper that someone might still configure. Thread-safe.
 */
final class JacksonCodec<T> implements Codec<T> {
    private final String format;
    private final ObjectWriter listWriter;
    private final ObjectWriter itemWriter;
    private final ObjectReader listReader;

    JacksonCodec(String format, ObjectMapper mapper, JavaType itemType) {
        this.format = format;
        JavaType listType = mapper.getTypeFactory().constructCollectionType(List.class, itemType);
        this.listWriter = mapper.writerFor(listType);
        this.itemWriter = mapper.writerFor(itemType);
        this.listReader = mapper.readerFor(listType);
    }

    static ObjectMapper json() {
        return configure(new ObjectMapper());
    }

    static ObjectMapper messagePack() {
        return configure(new ObjectMapper(new MessagePackFactory()));
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Override
    public byte[] encode(List<T> items) throws IOException {
        return listWriter.writeValueAsBytes(items);
    }

    @Override
    public List<T> decode(byte[] bytes) throws IOException {
        return listReader.readValue(bytes);
    }

    @Override
    public long sizeOf(T item) throws IOException {
        // one item alone, plus its separator in the array
        return itemWriter.writeValueAsBytes(item).length + 1L;
    }

    @Override
    public String toString() {
        return format + " codec";
    }
}
