package dev.sluice.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reported figure of several timed runs: the median of each figure on its own. */
class ResultMedianTest {
    private static Result drain(double insert, double process, String note) {
        return new Result("sluice", "postgresql", "drain", 20_000, 8, insert, process, null, null, null, note);
    }

    @Test
    void anOddNumberOfRunsGivesTheMiddleValueOfEachFigure() {
        Result m = Result.median(List.of(drain(100, 50, null), drain(300, 40, null), drain(200, 60, null)));
        assertThat(m.insertPerS()).isEqualTo(200);
        assertThat(m.processPerS()).isEqualTo(50);
        assertThat(m.p99Ms()).isNull();
        assertThat(m.note()).isNull();
    }

    @Test
    void anEvenNumberOfRunsGivesTheMeanOfTheTwoMiddleValues() {
        Result m = Result.median(List.of(drain(100, 10, null), drain(200, 40, null), drain(300, 20, null),
                drain(400, 30, null)));
        assertThat(m.insertPerS()).isEqualTo(250);
        assertThat(m.processPerS()).isEqualTo(25);
    }

    @Test
    void notesOfTheRunsAreKept() {
        Result m = Result.median(List.of(drain(1, 1, "timed out"), drain(1, 1, null), drain(1, 1, "timed out")));
        assertThat(m.note()).isEqualTo("timed out");
    }

    @Test
    void noRunsIsAnError() {
        assertThatThrownBy(() -> Result.median(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no runs");
    }
}
