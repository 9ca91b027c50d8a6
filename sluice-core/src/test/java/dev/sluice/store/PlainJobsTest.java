package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainJobsTest {
    private final List<Integer> madeInOrder = new ArrayList<>();

    private NewJob make(int i) {
        madeInOrder.add(i);
        return new NewJob("plain", "default", "available", 0, "{\"n\":" + i + "}", "[]", 5, null, 0);
    }

    @Test
    void eachJobIsMadeOnceAndInOrderWhenFirstRead() {
        PlainJobs jobs = new PlainJobs(5, this::make);
        assertThat(madeInOrder).as("nothing made up front").isEmpty();

        NewJob third = jobs.get(2);

        assertThat(madeInOrder).containsExactly(0, 1, 2);
        assertThat(third.payload()).isEqualTo("{\"n\":2}");
        assertThat(jobs.get(0)).isSameAs(jobs.get(0));
        assertThat(jobs).hasSize(5).extracting(NewJob::payload).last().isEqualTo("{\"n\":4}");
        assertThat(madeInOrder).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void theFirstBadRequestIsReportedAndNothingAfterItIsMade() {
        PlainJobs jobs = new PlainJobs(10, i -> {
            if (i == 3) {
                throw new IllegalArgumentException("job 3: bad");
            }
            return make(i);
        });

        assertThatThrownBy(() -> jobs.get(7)).hasMessage("job 3: bad");
        assertThat(madeInOrder).containsExactly(0, 1, 2);
    }

    @Test
    void aJobWithAKeyOrAStreamIsRefused() {
        PlainJobs jobs = new PlainJobs(1, i -> new NewJob("k", "default", "available", 0, "{}", "[]", 5, null, 0,
                "key-1", false, null, 1));

        assertThatThrownBy(() -> jobs.get(0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not plain");
    }
}
