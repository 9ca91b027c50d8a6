package dev.sluice.runtime;

import dev.sluice.job.JobError;
import dev.sluice.store.JobFinish;
import java.util.List;

/**
 * How one attempt ended on this node, before it is written.
 */
sealed interface AttemptEnd {

    /** The attempt's result, to be written fenced on the lease. */
    record Finish(JobFinish finish, List<JobError> errors) implements AttemptEnd {
    }

    /** The node is stopping: return the job without spending its attempt. */
    record HandBack() implements AttemptEnd {
    }
}
