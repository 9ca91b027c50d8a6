package dev.sluice.engine;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.Sluice;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.KindOptions;
import dev.sluice.job.RawJson;
import dev.sluice.job.RetryPolicy;
import dev.sluice.store.jdbc.JdbcStores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * One Sluice node in a process of its own, for {@link KilledProcessTest}. It runs jobs of kind
 * {@value #KIND} until it is stopped (SIGTERM: graceful close) or killed (SIGKILL: nothing
 * more). Every handler start is first recorded as a committed row of {@code run_log}, so the
 * test sees each run even when the process dies right after.
 *
 * <p>Arguments: jdbcUrl user password nodeId leaseMillis handlerMillis concurrency.
 */
public final class NodeProcess {
    static final String KIND = "work";
    static final String READY = "NODE READY";

    private NodeProcess() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: NodeProcess jdbcUrl user password nodeId leaseMillis handlerMillis concurrency");
            System.exit(2);
        }
        String url = args[0];
        String user = args[1];
        String password = args[2];
        String nodeId = args[3];
        Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
        long handlerMillis = Long.parseLong(args[5]);
        int concurrency = Integer.parseInt(args[6]);

        HikariDataSource runLog = JdbcStores.pool(url, user, password, concurrency);
        Sluice sluice = Sluice.builder()
                .jdbcUrl(url, user, password)
                .poolSize(4)
                .nodeId(nodeId)
                .queue("default", concurrency)
                .leaseDuration(lease)
                .heartbeatInterval(lease.dividedBy(4))
                .maintenanceInterval(Duration.ofMillis(500))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .shutdownGrace(Duration.ofSeconds(5))
                .handler(KIND, RawJson.class, (payload, ctx) -> {
                    try (Connection c = runLog.getConnection();
                         PreparedStatement ps = c.prepareStatement(
                                 "INSERT INTO run_log (job_id, node, attempt, started_at) VALUES (?, ?, ?, clock_timestamp())")) {
                        ps.setLong(1, ctx.jobId());
                        ps.setString(2, nodeId);
                        ps.setInt(3, ctx.attempt());
                        ps.executeUpdate();
                    }
                    Thread.sleep(handlerMillis);
                    return JobOutcome.success();
                }, KindOptions.defaults().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(100))))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sluice.close();
            runLog.close();
        }, "node-process-stop"));
        sluice.start();
        System.out.println(READY + " " + nodeId);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
