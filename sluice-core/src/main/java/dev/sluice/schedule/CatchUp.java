package dev.sluice.schedule;

/**
 * What a schedule does with occurrences it missed, because no node ran it (all down) or the
 * scheduler fell behind by more than one occurrence. Whenever the scheduler finds several
 * occurrences due at once, it runs only the latest {@link #maxRuns()} of them and skips the
 * older ones; an occurrence due alone always runs. Immutable.
 */
public sealed interface CatchUp permits CatchUp.SkipMissed, CatchUp.RunMissed {

    /** The default: the missed occurrences collapse into one run, of the latest one. */
    static CatchUp skipMissed() {
        return new SkipMissed();
    }

    /**
     * Runs each of the latest {@code max} missed occurrences (one job each, oldest first); older
     * ones are skipped.
     *
     * @param max 1 to {@value RunMissed#LIMIT}
     */
    static CatchUp runMissed(int max) {
        return new RunMissed(max);
    }

    /** The most occurrences run when several are due at once. */
    int maxRuns();

    /** As text: {@code skip-missed} or {@code run-missed(3)}. */
    String describe();

    /** Runs only the latest of the occurrences due at once. */
    record SkipMissed() implements CatchUp {
        @Override
        public int maxRuns() {
            return 1;
        }

        @Override
        public String describe() {
            return "skip-missed";
        }
    }

    /**
     * Runs up to {@code max} of the occurrences due at once, the latest ones.
     *
     * @param max 1 to {@value #LIMIT}
     */
    record RunMissed(int max) implements CatchUp {
        /** The largest {@code max}: a catch-up is one transaction, and it should stay small. */
        public static final int LIMIT = 1000;

        public RunMissed {
            if (max < 1 || max > LIMIT) {
                throw new InvalidScheduleException("runMissed: max must be 1 to " + LIMIT + ", got " + max);
            }
        }

        @Override
        public int maxRuns() {
            return max;
        }

        @Override
        public String describe() {
            return "run-missed(" + max + ")";
        }
    }
}
