package dev.sluice.store.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which entries of a flush transaction are new to the guard, and the ranges that record them.
 *
 * @param all every entry is new (the usual case: nothing to filter)
 * @param freshIds the new entries when not all are
 * @param runs the ranges to insert: runs of consecutive new ids, {@code [first, last]}
 */
record WalClaim(boolean all, Set<Long> freshIds, List<long[]> runs) {

    /**
     * @param ids the transaction's entry ids, ascending
     * @param prunedThrough every id up to this one was applied
     * @param ranges the guard's ranges overlapping {@code [ids[0], ids[last]]}
     */
    static WalClaim of(long[] ids, long prunedThrough, List<long[]> ranges) {
        List<long[]> covered = new ArrayList<>(ranges);
        covered.sort(Comparator.comparingLong(r -> r[0]));
        boolean[] isNew = new boolean[ids.length];
        int count = 0;
        List<long[]> runs = new ArrayList<>();
        int r = 0;
        long runFirst = 0;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < ids.length; i++) {
            long id = ids[i];
            while (r < covered.size() && covered.get(r)[1] < id) {
                r++;
            }
            if (id <= prunedThrough || (r < covered.size() && covered.get(r)[0] <= id)) {
                continue;
            }
            isNew[i] = true;
            count++;
            // A range stands for every id in it, so a gap (an id already covered, or a record
            // lost to damage) starts a new one: the guard never claims an id it did not apply.
            if (previous == Long.MIN_VALUE || id != previous + 1) {
                if (previous != Long.MIN_VALUE) {
                    runs.add(new long[] {runFirst, previous});
                }
                runFirst = id;
            }
            previous = id;
        }
        if (previous != Long.MIN_VALUE) {
            runs.add(new long[] {runFirst, previous});
        }
        if (count == ids.length) {
            return new WalClaim(true, Set.of(), List.copyOf(runs));
        }
        Set<Long> fresh = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            if (isNew[i]) {
                fresh.add(ids[i]);
            }
        }
        return new WalClaim(false, fresh, List.copyOf(runs));
    }

    /** Every id from {@code first} to {@code last} is new, and recorded as one range. */
    static WalClaim run(long first, long last) {
        return new WalClaim(true, Set.of(), List.of(new long[] {first, last}));
    }

    boolean fresh(long id) {
        return all || freshIds.contains(id);
    }
}
