package dev.sluice.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What one system measured in one run; the fields of the JSON line, in its order. Rates are
 * jobs per second; latencies are enqueue-to-start in milliseconds. Null where a figure does not
 * apply to the workload (latency in drain). Immutable.
 *
 * @param system the system's name
 * @param store sqlite, postgresql or mariadb
 * @param workload drain or stream
 * @param jobs jobs enqueued
 * @param workers jobs run at once
 * @param insertPerS drain: bulk insert rate; stream: the rate the producer achieved
 * @param processPerS drain: jobs finished per second from worker start to the last job recorded
 *                    finished in the database; stream: jobs run per second during the window
 * @param p50Ms median enqueue-to-start latency
 * @param p95Ms 95th percentile
 * @param p99Ms 99th percentile
 * @param note a remark for the human table only (such as a timeout), or null
 */
public record Result(String system, String store, String workload, long jobs, int workers, Double insertPerS,
                     Double processPerS, Double p50Ms, Double p95Ms, Double p99Ms, String note) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON line: exactly the documented fields, nulls included. */
    public String toJsonLine() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("system", system);
        fields.put("store", store);
        fields.put("workload", workload);
        fields.put("jobs", jobs);
        fields.put("workers", workers);
        fields.put("insert_per_s", round(insertPerS, 1));
        fields.put("process_per_s", round(processPerS, 1));
        fields.put("p50_ms", round(p50Ms, 2));
        fields.put("p95_ms", round(p95Ms, 2));
        fields.put("p99_ms", round(p99Ms, 2));
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a result as JSON", e);
        }
    }

    /**
     * The median of several runs of one system: each figure is the median of that figure over the
     * runs (the middle one, or the mean of the two middle ones), so that one run slowed by the
     * machine neither decides nor hides a result. The note is the runs' notes joined, or null.
     */
    public static Result median(List<Result> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to take the median of");
        }
        Result first = runs.getFirst();
        List<String> notes = runs.stream().map(Result::note).filter(Objects::nonNull).distinct().toList();
        return new Result(first.system, first.store, first.workload, first.jobs, first.workers,
                median(runs, Result::insertPerS), median(runs, Result::processPerS), median(runs, Result::p50Ms),
                median(runs, Result::p95Ms), median(runs, Result::p99Ms),
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    private static Double median(List<Result> runs, Function<Result, Double> figure) {
        List<Double> values = runs.stream().map(figure).filter(Objects::nonNull).sorted().toList();
        if (values.isEmpty()) {
            return null;
        }
        int mid = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(mid) : (values.get(mid - 1) + values.get(mid)) / 2;
    }

    /** Reads a line written by {@link #toJsonLine()}. */
    public static Result fromJsonLine(String line) {
        try {
            Map<?, ?> m = JSON.readValue(line, Map.class);
            return new Result((String) m.get("system"), (String) m.get("store"), (String) m.get("workload"),
                    ((Number) m.get("jobs")).longValue(), ((Number) m.get("workers")).intValue(),
                    number(m.get("insert_per_s")), number(m.get("process_per_s")), number(m.get("p50_ms")),
                    number(m.get("p95_ms")), number(m.get("p99_ms")), null);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a result line: " + line, e);
        }
    }

    private static Double number(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    private static Double round(Double v, int decimals) {
        if (v == null) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
