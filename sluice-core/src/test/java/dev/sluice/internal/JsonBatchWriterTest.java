package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonBatchWriterTest {
    record Mail(String to, int attempt, Instant at) {
    }

    /** Jackson cannot write it: a getter that throws. */
    static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    @Test
    void eachValueComesOutAsJsonWriteGivesIt() {
        List<Object> values = List.of(new Mail("ann@example.com", 1, Instant.parse("2026-11-26T12:00:00Z")),
                Map.of("n", 7), "text with \"quotes\"", 42, List.of(), new Mail("bob@example.com", 2, null));
        try (JsonBatchWriter writer = new JsonBatchWriter()) {
            for (Object value : values) {
                assertThat(writer.write(value)).isEqualTo(Json.write(value));
            }
        }
    }

    /** Fails half-way through an object, after Jackson has written part of it. */
    static final class FailsMidway {
        public String getFirst() {
            return "written";
        }

        public String getSecond() {
            throw new IllegalStateException("no second");
        }
    }

    @Test
    void aValueThatFailsHalfWrittenLeavesNothingOfItInTheNext() {
        try (JsonBatchWriter writer = new JsonBatchWriter()) {
            assertThatThrownBy(() -> writer.write(List.of(new FailsMidway()))).isInstanceOf(IllegalArgumentException.class);

            assertThat(writer.write(Map.of("after", 2))).isEqualTo("{\"after\":2}");
        }
    }

    @Test
    void aValueThatCannotBeWrittenIsRejectedAndTheNextOneIsWrittenWhole() {
        try (JsonBatchWriter writer = new JsonBatchWriter()) {
            writer.write(Map.of("before", 1));

            assertThatThrownBy(() -> writer.write(new Unwritable()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Unwritable.class.getName());
            assertThat(writer.write(Map.of("after", 2))).isEqualTo("{\"after\":2}");
        }
    }
}
