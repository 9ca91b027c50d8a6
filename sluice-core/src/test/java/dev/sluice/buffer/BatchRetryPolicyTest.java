package dev.sluice.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchRetryPolicyTest {

    @Test
    void delaysDoubleFromTheMinimumUpToTheMaximum() {
        BatchRetryPolicy policy = BatchRetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.delayAfter(1000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void attemptsAreExhaustedAfterMaxAttemptsFailures() {
        BatchRetryPolicy policy = BatchRetryPolicy.defaults().maxAttempts(3);
        assertThat(policy.exhausted(2)).isFalse();
        assertThat(policy.exhausted(3)).isTrue();
        assertThat(BatchRetryPolicy.defaults().unlimitedAttempts().exhausted(1_000_000)).isFalse();
    }

    @Test
    void withoutACoolDownAnExhaustedBatchIsParkedAndWithOneItWaits() {
        assertThat(BatchRetryPolicy.defaults().delayWhenExhausted()).isNull();
        assertThat(BatchRetryPolicy.defaults().coolDown(Duration.ofMinutes(10)).delayWhenExhausted())
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void defaultsAreOneSecondToOneHourTenAttemptsNoCoolDown() {
        assertThat(BatchRetryPolicy.defaults())
                .isEqualTo(new BatchRetryPolicy(Duration.ofSeconds(1), Duration.ofHours(1), 10, Duration.ZERO));
    }

    @Test
    void badValuesAreRejectedByName() {
        assertThatThrownBy(() -> BatchRetryPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxInterval");
        assertThatThrownBy(() -> BatchRetryPolicy.defaults().maxAttempts(0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> BatchRetryPolicy.defaults().coolDown(Duration.ofSeconds(-1)))
                .hasMessageContaining("coolDown");
        assertThatThrownBy(() -> BatchRetryPolicy.exponential(null, Duration.ofSeconds(1)))
                .hasMessageContaining("minInterval");
    }
}
