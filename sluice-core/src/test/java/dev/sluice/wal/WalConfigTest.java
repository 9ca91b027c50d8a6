package dev.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WalConfigTest {
    private final WalConfig defaults = WalConfig.defaults(Path.of("wal"));

    @Test
    void defaultsAreThoseOfTheIssue() {
        assertThat(defaults.maxBufferSize()).isEqualTo(1000);
        assertThat(defaults.flushInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.maxFlushRetries()).isEqualTo(3);
        assertThat(defaults.maxSegmentSize()).isEqualTo(5000);
        assertThat(defaults.segmentRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.workerCount()).isEqualTo(2);
        assertThat(defaults.batchSize()).isEqualTo(100);
        assertThat(defaults.enableRecovery()).isTrue();
        assertThat(defaults.recoveryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.enableMetrics()).isTrue();
        assertThat(defaults.metricsInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.mode()).isEqualTo(WalMode.DURABLE);
    }

    @Test
    void badValuesAreRejectedNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> defaults.maxBufferSize(0)).hasMessage("maxBufferSize must be at least 1, got 0");
        assertThatThrownBy(() -> defaults.flushInterval(Duration.ZERO)).hasMessage("flushInterval must be positive, got PT0S");
        assertThatThrownBy(() -> defaults.maxFlushRetries(-1)).hasMessage("maxFlushRetries must be at least 0, got -1");
        assertThatThrownBy(() -> defaults.maxSegmentSize(0)).hasMessage("maxSegmentSize must be at least 1, got 0");
        assertThatThrownBy(() -> defaults.segmentRetention(Duration.ofSeconds(-1)))
                .hasMessage("segmentRetention must be positive, got PT-1S");
        assertThatThrownBy(() -> defaults.workerCount(0)).hasMessage("workerCount must be at least 1, got 0");
        assertThatThrownBy(() -> defaults.batchSize(0)).hasMessage("batchSize must be at least 1, got 0");
        assertThatThrownBy(() -> defaults.recoveryTimeout(null)).hasMessage("recoveryTimeout must be positive, got null");
        assertThatThrownBy(() -> defaults.metricsInterval(Duration.ZERO)).hasMessage("metricsInterval must be positive, got PT0S");
        assertThatThrownBy(() -> defaults.backlog(10, Duration.ofSeconds(1)))
                .hasMessage("maxBacklog must be at least maxBufferSize (1000), got 10");
        assertThatThrownBy(() -> defaults.directory(null)).hasMessage("directory must not be null");
    }
}
