package dev.sluice.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/buffer.md, as written there (only the file's folder differs). */
class BufferDocExampleTest {
    @TempDir
    Path dir;

    record PageView(String url, long views) {
        PageView plus(PageView other) {
            return new PageView(url, views + other.views);
        }
    }

    @Test
    void theDocumentedExampleCountsEveryViewOnce() {
        Map<String, Long> totals = new ConcurrentHashMap<>();

        try (BufferedQueue<PageView> queue = BufferedQueue.builder(PageView.class)
                .name("page-views")
                .sqlite(dir.resolve("buffer.db"))              // the default store; add .durable(true) to fsync each batch
                .flushPushes(500)                              // one batch per 500 pushes…
                .flushTimeout(Duration.ofMillis(200))          // …or once the oldest unflushed push is 200 ms old
                .workers(2)
                .batchesPerTake(4)                             // a process call gets up to 4 stored batches…
                .merging(PageView::url, PageView::plus)        // …merged into one PageView per url
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)).maxAttempts(8))
                .processor((batch, q) -> batch.forEach(v -> totals.merge(v.url(), v.views(), Long::sum)))
                .build()) {
            for (int i = 0; i < 10_000; i++) {
                queue.push(new PageView("/page/" + (i % 10), 1));
            }
            queue.flush();                                     // returns once everything pushed is stored
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> totals.values().stream().mapToLong(Long::longValue).sum() == 10_000);
        }
        assertThat(totals).hasSize(10).allSatisfy((url, views) -> assertThat(views).isEqualTo(1000));
    }
}
