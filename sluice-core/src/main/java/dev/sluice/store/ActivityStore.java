package dev.sluice.store;

import dev.sluice.job.Activity;
import dev.sluice.job.ActivityQuery;
import java.util.List;

/** Activity logs of jobs and batches. Thread-safe. */
public interface ActivityStore {

    /** Inserts one entry in its own transaction (without the write-ahead log). */
    void activityInsert(NewActivity activity);

    /** Entries of one job or one batch, oldest first. */
    List<Activity> activityList(ActivityQuery query);
}
