/** The workloads, drain and stream, that drive a {@link dev.sluice.bench.system.QueueSystem}. */
package dev.sluice.bench.workload;
