package dev.sluice.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a flush transaction splits its entry ids into new ones and ranges for the guard. */
class WalClaimTest {

    @Test
    void consecutiveNewIdsAreOneRange() {
        WalClaim claim = WalClaim.of(new long[] {11, 12, 13, 14}, 10, List.of());
        assertThat(claim.all()).isTrue();
        assertThat(claim.runs()).containsExactly(new long[] {11, 14});
    }

    @Test
    void idsCoveredByTheGuardOrThePrunedMarkAreNotClaimedAgain() {
        WalClaim claim = WalClaim.of(new long[] {8, 9, 10, 11, 12, 13, 14, 15}, 9,
                List.of(new long[] {12, 13}, new long[] {1, 10}));
        assertThat(claim.all()).isFalse();
        assertThat(claim.freshIds()).containsExactlyInAnyOrder(11L, 14L, 15L);
        assertThat(claim.runs()).containsExactly(new long[] {11, 11}, new long[] {14, 15});
    }

    @Test
    void aGapInTheIdsStartsANewRangeSoTheGuardNeverCoversAnIdItDidNotApply() {
        WalClaim claim = WalClaim.of(new long[] {1, 2, 4, 5}, 0, List.of());
        assertThat(claim.all()).isTrue();
        assertThat(claim.runs()).containsExactly(new long[] {1, 2}, new long[] {4, 5});
    }

    @Test
    void nothingNewMeansNoRange() {
        WalClaim claim = WalClaim.of(new long[] {3, 4}, 0, List.of(new long[] {1, 9}));
        assertThat(claim.fresh(3)).isFalse();
        assertThat(claim.runs()).isEmpty();
    }
}
