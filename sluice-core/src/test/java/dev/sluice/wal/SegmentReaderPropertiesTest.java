package dev.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The segment reader on damaged segments: random truncation and random bit flips never make it
 * throw, never lose a record that lies before the damage, never lose an undamaged record after it,
 * and never invent one.
 */
class SegmentReaderPropertiesTest {

    /** A record as written, with where it lies in the segment. */
    record Written(long id, int type, byte[] payload, int start, int end) {
    }

    record Segment(byte[] bytes, List<Written> records) {
    }

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300).list().ofMinSize(1).ofMaxSize(40);
    }

    static Segment segment(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SegmentFormat.header(42, 1).array());
        List<Written> records = new ArrayList<>();
        long id = 1;
        for (byte[] p : payloads) {
            int type = (int) (id % 255) + 1;
            int start = out.size();
            out.writeBytes(SegmentFormat.encode(id, type, p));
            records.add(new Written(id, type, p, start, out.size()));
            id++;
        }
        return new Segment(out.toByteArray(), records);
    }

    static List<WalRecord> read(byte[] bytes, List<WalDamage> damages) throws IOException {
        List<WalRecord> out = new ArrayList<>();
        SegmentScan scan = SegmentScan.scan("test.wal", new SegmentReader(SegmentSource.of(bytes)), 0,
                (offset, size, r) -> out.add(r));
        damages.addAll(scan.damages());
        assertThat(scan.records()).isEqualTo(out.size());
        return out;
    }

    @Property(tries = 300)
    void truncationKeepsEveryRecordBeforeTheCutAndReportsATornTail(@ForAll("payloads") List<byte[]> payloads,
                                                                  @ForAll @IntRange(min = 0, max = 100) int percent)
            throws IOException {
        Segment s = segment(payloads);
        int cut = (int) ((long) s.bytes().length * percent / 100);
        byte[] truncated = Arrays.copyOf(s.bytes(), cut);
        List<WalDamage> damages = new ArrayList<>();
        List<WalRecord> read = read(truncated, damages);
        List<Written> whole = s.records().stream().filter(w -> w.end() <= cut).toList();
        assertSame(read, whole);
        boolean onBoundary = cut <= SegmentFormat.HEADER_SIZE || s.records().stream().anyMatch(w -> w.end() == cut);
        if (onBoundary) {
            assertThat(damages).isEmpty();
        } else {
            assertThat(damages).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(WalDamage.Kind.TORN_TAIL);
                assertThat(d.offset() + d.length()).isEqualTo(cut);
            });
        }
    }

    @Property(tries = 500)
    void bitFlipsNeverLoseARecordBeforeTheDamageNorAnyUndamagedOne(
            @ForAll("payloads") List<byte[]> payloads,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
            @ForAll @IntRange(min = 0, max = 7) int bit) throws IOException {
        Segment s = segment(payloads);
        byte[] damaged = s.bytes().clone();
        // A position drawn twice is flipped once: flipping it back would undo the damage.
        java.util.Set<Integer> flipped = new java.util.TreeSet<>();
        for (int p : positions) {
            flipped.add(p % damaged.length);
        }
        for (int at : flipped) {
            damaged[at] ^= (byte) (1 << bit);
        }
        int firstFlip = flipped.stream().min(Integer::compare).orElseThrow();
        List<WalDamage> damages = new ArrayList<>();
        List<WalRecord> read = read(damaged, damages);

        List<Written> beforeDamage = s.records().stream().filter(w -> w.end() <= firstFlip).toList();
        assertSame(read.subList(0, Math.min(read.size(), beforeDamage.size())), beforeDamage);
        List<Written> untouched = s.records().stream()
                .filter(w -> flipped.stream().noneMatch(f -> f >= w.start() && f < w.end())).toList();
        List<Long> readIds = read.stream().map(WalRecord::entryId).toList();
        assertThat(readIds).as("every undamaged record is found").containsAll(untouched.stream().map(Written::id).toList());
        for (WalRecord r : read) {
            Written original = s.records().get((int) r.entryId() - 1);
            assertThat(r.payload()).as("no record is invented or altered").isEqualTo(original.payload());
            assertThat(r.type()).isEqualTo(original.type());
        }
        assertThat(readIds).isSorted().doesNotHaveDuplicates();
        long damagedRecords = s.records().size() - untouched.size();
        if (damagedRecords > 0) {
            assertThat(damages).isNotEmpty();
        }
    }

    @Property(tries = 200)
    void garbageNeverCrashesTheReader(@ForAll @Size(max = 2000) byte[] garbage) throws IOException {
        List<WalDamage> damages = new ArrayList<>();
        List<WalRecord> read = read(garbage, damages);
        assertThat(read).isEmpty();
        if (garbage.length > SegmentFormat.HEADER_SIZE) {
            assertThat(damages).isNotEmpty();
        }
    }

    private static void assertSame(List<WalRecord> read, List<Written> expected) {
        assertThat(read).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(read.get(i).entryId()).isEqualTo(expected.get(i).id());
            assertThat(read.get(i).type()).isEqualTo(expected.get(i).type());
            assertThat(read.get(i).payload()).isEqualTo(expected.get(i).payload());
        }
    }
}
