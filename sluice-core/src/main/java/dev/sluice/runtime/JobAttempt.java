package dev.sluice.runtime;

/**
 * One attempt of one job. The job id alone does not name what runs on a node: a node cut off from
 * the database can have its job rescued and then claim it again, and then runs two attempts of
 * the one job, of which only the newer holds the lease.
 *
 * @param id the job
 * @param attempt the attempt, as claimed ({@code Job.attempt()})
 */
record JobAttempt(long id, int attempt) {
}
