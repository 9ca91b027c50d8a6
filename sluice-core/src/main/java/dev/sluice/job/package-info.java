/**
 * The job model: requests, snapshots, states, handlers and their outcomes, retry policies.
 */
package dev.sluice.job;
