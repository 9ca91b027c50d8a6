package dev.sluice.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes many values to JSON strings one after another through one generator. For a bulk
 * enqueue of thousands of small payloads, a generator and its buffers per value (what
 * {@link Json#write} does) cost more than the writing itself. Not thread-safe; one per call.
 */
public final class JsonBatchWriter implements AutoCloseable {
    private final StringBuilderWriter out = new StringBuilderWriter();
    private JsonGenerator generator;

    /** The JSON of {@code value}, as {@link Json#write} would give it. */
    public String write(Object value) {
        boolean written = false;
        try {
            if (generator == null) {
                generator = Json.mapper().createGenerator(out);
                // Values come out one at a time, not as one stream separated by spaces.
                generator.setRootValueSeparator(null);
            }
            Json.mapper().writeValue(generator, value);
            generator.flush();
            written = true;
            return out.take();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!written) {
                // Whatever failed left the generator mid-structure; the next value starts on a new one.
                discardGenerator();
            }
        }
    }

    private void discardGenerator() {
        close(); // may still write the closing brackets of what was open,
        out.take(); // which go with the rest of the failed value
    }

    /** Closes the generator, which hands its buffers back to Jackson for the next one. */
    @Override
    public void close() {
        if (generator != null) {
            try {
                generator.close();
            } catch (IOException e) {
                // Closing writes nothing here: the output is an in-memory builder.
            } finally {
                generator = null;
            }
        }
    }

    /** A writer into a builder without {@link java.io.StringWriter}'s synchronized buffer. */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder text = new StringBuilder(256);

        @Override
        public void write(char[] chars, int off, int len) {
            text.append(chars, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            text.append(s, off, off + len);
        }

        String take() {
            String s = text.toString();
            text.setLength(0);
            return s;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
