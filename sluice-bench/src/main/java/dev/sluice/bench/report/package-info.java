/** Results of a run: the JSON lines, the human table and the ratio chart. */
package dev.sluice.bench.report;
