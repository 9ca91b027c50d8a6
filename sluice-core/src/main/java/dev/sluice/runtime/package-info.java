/**
 * The running node: fetch loops, virtual-thread workers, batched completion writes, heartbeats,
 * lease rescue, retention and the maintenance leader. Not API.
 */
package dev.sluice.runtime;
