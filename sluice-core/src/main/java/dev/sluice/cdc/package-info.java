/**
 * Change detection: hash a source's objects, compare with the last run, enqueue create, update
 * and delete jobs keyed by object, with each hash stored in the transaction of its job.
 */
package dev.sluice.cdc;
