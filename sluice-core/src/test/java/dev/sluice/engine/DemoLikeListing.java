package dev.sluice.engine;

import dev.sluice.Sluice;
import dev.sluice.job.Job;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import java.util.ArrayList;
import java.util.List;

/** Reads every job of a kind, page by page. */
final class DemoLikeListing {
    private DemoLikeListing() {
    }

    static List<Job> all(Sluice sluice, String kind) {
        List<Job> out = new ArrayList<>();
        JobQuery query = JobQuery.all().kind(kind).limit(1000);
        JobPage page = sluice.jobs(query);
        out.addAll(page.jobs());
        while (page.hasMore()) {
            page = sluice.jobs(query.after(page));
            out.addAll(page.jobs());
        }
        return out;
    }
}
