package dev.sluice.runtime;

import dev.sluice.job.JobHandler;
import dev.sluice.job.KindOptions;

/**
 * A handler with its payload type and options.
 *
 * @param kind the kind it runs
 * @param payloadType the class the payload is decoded to
 * @param handler the code
 * @param options timeout, retry policy, default attempts
 * @param <T> the payload type
 */
public record RegisteredHandler<T>(String kind, Class<T> payloadType, JobHandler<T> handler, KindOptions options) {
}
