package dev.sluice.bench.system;

import dev.sluice.bench.db.StoreKind;
import java.util.List;

/**
 * The statements of the hand-written queue on one database. {@code claim} takes up to 100
 * waiting jobs in one statement where the database has {@code UPDATE … RETURNING}; on MariaDB,
 * which has none, {@code claim} is the {@code SELECT … FOR UPDATE SKIP LOCKED} and
 * {@code markClaimed} the update that follows it in the same transaction. {@code IN (?)} lists
 * are expanded to as many placeholders as there are ids. Immutable.
 *
 * @param schema statements creating the table and its index
 * @param insert one row; run as a JDBC batch
 * @param claim the claim (see above); returns id and enqueued_nanos
 * @param markClaimed MariaDB's second claim statement, or null
 * @param complete marks the ids of a batch done
 * @param countCompleted counts done rows
 */
record HandWrittenSql(List<String> schema, String insert, String claim, String markClaimed, String complete,
                      String countCompleted) {
    /** Jobs one claim takes. */
    static final int CLAIM_SIZE = 100;

    static HandWrittenSql of(StoreKind store) {
        return switch (store) {
            case POSTGRESQL -> new HandWrittenSql(List.of(
                    "CREATE TABLE bench_job (id BIGSERIAL PRIMARY KEY, enqueued_nanos BIGINT NOT NULL, "
                            + "state SMALLINT NOT NULL DEFAULT 0)",
                    "CREATE INDEX bench_job_waiting ON bench_job (id) WHERE state = 0"),
                    "INSERT INTO bench_job (enqueued_nanos) VALUES (?)",
                    """
                    UPDATE bench_job SET state = 1 WHERE id IN (
                        SELECT id FROM bench_job WHERE state = 0 ORDER BY id LIMIT %d FOR UPDATE SKIP LOCKED)
                    RETURNING id, enqueued_nanos""".formatted(CLAIM_SIZE),
                    null,
                    "UPDATE bench_job SET state = 2 WHERE id IN (?)",
                    "SELECT COUNT(*) FROM bench_job WHERE state = 2");
            case MARIADB -> new HandWrittenSql(List.of(
                    "CREATE TABLE bench_job (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                            + "enqueued_nanos BIGINT NOT NULL, state TINYINT NOT NULL DEFAULT 0, "
                            + "INDEX bench_job_waiting (state, id)) ENGINE = InnoDB"),
                    "INSERT INTO bench_job (enqueued_nanos) VALUES (?)",
                    "SELECT id, enqueued_nanos FROM bench_job WHERE state = 0 ORDER BY id LIMIT %d FOR UPDATE SKIP LOCKED"
                            .formatted(CLAIM_SIZE),
                    "UPDATE bench_job SET state = 1 WHERE id IN (?)",
                    "UPDATE bench_job SET state = 2 WHERE id IN (?)",
                    "SELECT COUNT(*) FROM bench_job WHERE state = 2");
            case SQLITE -> new HandWrittenSql(List.of(
                    "CREATE TABLE bench_job (id INTEGER PRIMARY KEY, enqueued_nanos INTEGER NOT NULL, "
                            + "state INTEGER NOT NULL DEFAULT 0)",
                    "CREATE INDEX bench_job_waiting ON bench_job (id) WHERE state = 0"),
                    "INSERT INTO bench_job (enqueued_nanos) VALUES (?)",
                    """
                    UPDATE bench_job SET state = 1 WHERE id IN (
                        SELECT id FROM bench_job WHERE state = 0 ORDER BY id LIMIT %d)
                    RETURNING id, enqueued_nanos""".formatted(CLAIM_SIZE),
                    null,
                    "UPDATE bench_job SET state = 2 WHERE id IN (?)",
                    "SELECT COUNT(*) FROM bench_job WHERE state = 2");
        };
    }

    /** {@code sql} with its {@code IN (?)} widened to {@code n} placeholders. */
    static String expand(String sql, int n) {
        return sql.replace("IN (?)", "IN (" + "?,".repeat(n - 1) + "?)");
    }
}
