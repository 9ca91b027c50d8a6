package dev.sluice.store;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * The jobs of a bulk enqueue that has neither keys nor streams, each made (validated and its
 * payload encoded) when the store first reads it. A store inserting them in order can then send
 * the first rows to the database while the later ones are still being made: on PostgreSQL the
 * server inserts one chunk of a COPY while the client encodes the next, so the two cores work
 * side by side instead of one after the other.
 *
 * <p>Nothing needs locking or admitting, so a store takes them straight to its many-row insert.
 * A request that fails validation throws from {@link #get} inside the store's transaction, which
 * rolls back: as with jobs made beforehand, a bad request writes nothing. Only for a transaction
 * the store owns; in the caller's transaction every request is checked before anything is
 * written. Not thread-safe: read by one thread, mostly in order; each job is made once.
 */
public final class PlainJobs extends AbstractList<NewJob> implements RandomAccess {
    private final NewJob[] made;
    private final IntFunction<NewJob> maker;
    private int next;

    /**
     * @param size how many jobs
     * @param maker makes job {@code i}, throwing when its request is invalid; called once per
     *     index, in ascending order
     */
    public PlainJobs(int size, IntFunction<NewJob> maker) {
        this.made = new NewJob[size];
        this.maker = maker;
    }

    @Override
    public NewJob get(int index) {
        if (index < 0 || index >= made.length) {
            throw new IndexOutOfBoundsException("job " + index + " of " + made.length);
        }
        // In order, so that the first bad request is the one reported, as with jobs made beforehand.
        while (next <= index) {
            NewJob job = maker.apply(next);
            if (job.gated()) {
                throw new IllegalStateException("job " + next + " has a key or a stream; it is not plain");
            }
            made[next++] = job;
        }
        return made[index];
    }

    @Override
    public int size() {
        return made.length;
    }
}
