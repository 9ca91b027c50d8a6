package dev.sluice.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.internal.Json;
import dev.sluice.job.Job;
import dev.sluice.job.JobError;
import dev.sluice.job.JobState;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Maps {@code sluice_job} rows to {@link Job} snapshots, the same on every dialect. */
final class JobRows {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<JobError>> ERRORS = new TypeReference<>() {
    };

    private JobRows() {
    }

    static Job map(ResultSet rs) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getString("kind"),
                rs.getString("queue"),
                JobState.fromDb(rs.getString("state")),
                rs.getInt("priority"),
                rs.getString("payload"),
                readList(rs.getString("tags"), STRINGS),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                instant(rs, "run_at"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getString("lease_owner"),
                instant(rs, "lease_until"),
                rs.getBoolean("cancel_requested"),
                nullableDouble(rs, "progress"),
                rs.getString("progress_message"),
                rs.getString("result"),
                readList(rs.getString("errors"), ERRORS),
                rs.getString("job_key"),
                rs.getString("stream"));
    }

    /**
     * Maps a row a claim returns: the columns of {@code fragment.claimedColumns}, in that order,
     * read by position. A claim is the hot path of every job, and reading by name cost a map
     * look-up per column, and each text column one JNI call on SQLite: the columns a claimed job
     * cannot have (finished_at, progress, result) or that the claim itself set (state, owner) are
     * not read. Progress from an earlier attempt is not carried.
     */
    static JdbcExecutor.RowMapper<Job> claimed(String owner) {
        return rs -> new Job(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                JobState.RUNNING,
                rs.getInt(4),
                rs.getString(5),
                readList(rs.getString(6), STRINGS),
                rs.getInt(7),
                rs.getInt(8),
                instant(rs, 9),
                instant(rs, 10),
                instant(rs, 11),
                null,
                owner,
                instant(rs, 12),
                rs.getBoolean(13),
                null,
                null,
                null,
                readList(rs.getString(14), ERRORS),
                rs.getString(15),
                rs.getString(16));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static <T> List<T> readList(String json, TypeReference<List<T>> type) throws SQLException {
        // Most jobs have no tags and no errors: parsing "[]" with Jackson was a large share of a fetch.
        if (json == null || json.isEmpty() || json.equals("[]")) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new SQLException("stored JSON list is unreadable: " + json, e);
        }
    }
}
