package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks recorded runs of stream jobs: overlaps within a stream, start order, concurrency. */
final class StreamRuns {
    private StreamRuns() {
    }

    static void assertNoOverlapsAndInOrder(List<KeysAndStreamsTest.Run> runs, int limit) {
        Map<String, List<KeysAndStreamsTest.Run>> byStream = new HashMap<>();
        runs.forEach(r -> byStream.computeIfAbsent(r.stream(), k -> new ArrayList<>()).add(r));
        int overlaps = 0;
        int outOfOrder = 0;
        for (List<KeysAndStreamsTest.Run> rs : byStream.values()) {
            rs.sort(Comparator.comparingLong(KeysAndStreamsTest.Run::startNanos));
            for (int i = 1; i < rs.size(); i++) {
                if (rs.get(i).startNanos() < rs.get(i - 1).endNanos()) {
                    overlaps++;
                }
                if (rs.get(i).seq() < rs.get(i - 1).seq()) {
                    outOfOrder++;
                }
            }
        }
        assertThat(overlaps).as("overlapping runs within a stream").isZero();
        assertThat(outOfOrder).as("runs started before an earlier job of their stream").isZero();
        assertThat(limit).isEqualTo(1);
    }

    static int maxConcurrent(List<KeysAndStreamsTest.Run> runs) {
        List<long[]> events = new ArrayList<>();
        runs.forEach(r -> {
            events.add(new long[] {r.startNanos(), 1});
            events.add(new long[] {r.endNanos(), -1});
        });
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int current = 0;
        int max = 0;
        for (long[] e : events) {
            current += (int) e[1];
            max = Math.max(max, current);
        }
        return max;
    }
}
