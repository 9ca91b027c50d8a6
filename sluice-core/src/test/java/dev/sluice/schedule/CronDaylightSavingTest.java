package dev.sluice.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Daylight-saving transitions: a skipped local time fires at the first instant after the gap,
 * a repeated one fires once, at its first occurrence.
 *
 * <p>Europe/Berlin 2024: 02:00 CET became 03:00 CEST on 31 March (01:00 UTC); 03:00 CEST became
 * 02:00 CET on 27 October (01:00 UTC). America/New_York 2024: 02:00 EST became 03:00 EDT on
 * 10 March (07:00 UTC); 02:00 EDT became 01:00 EST on 3 November (06:00 UTC).
 */
class CronDaylightSavingTest {

    @ParameterizedTest(name = "{0} in {1} after {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # skipped 02:30 fires at 03:00 CEST, the first instant after the gap; the next day as usual
            30 2 * * *       | Europe/Berlin    | 2024-03-30T12:00:00Z | 2024-03-31T01:00:00Z 2024-04-01T00:30:00Z
            # 02:00 itself is skipped too
            0 2 * * *        | Europe/Berlin    | 2024-03-30T12:00:00Z | 2024-03-31T01:00:00Z 2024-04-01T00:00:00Z
            # 03:00 exists and fires once, not once more for the gap
            0 3 * * *        | Europe/Berlin    | 2024-03-30T12:00:00Z | 2024-03-31T01:00:00Z 2024-04-01T01:00:00Z
            # 02:00 and 02:30 are skipped and fire together with 03:00, once
            */30 * * * *     | Europe/Berlin    | 2024-03-31T00:15:00Z | 2024-03-31T00:30:00Z 2024-03-31T01:00:00Z 2024-03-31T01:30:00Z
            # every second across the gap: no instant twice, none lost
            * * * * * *      | Europe/Berlin    | 2024-03-31T00:59:58Z | 2024-03-31T00:59:59Z 2024-03-31T01:00:00Z 2024-03-31T01:00:01Z
            # repeated 02:30 fires once, in CEST; the next day in CET
            30 2 * * *       | Europe/Berlin    | 2024-10-26T12:00:00Z | 2024-10-27T00:30:00Z 2024-10-28T01:30:00Z
            # every half hour: the repeated hour (01:00-02:00 UTC) fires nothing again
            */30 * * * *     | Europe/Berlin    | 2024-10-27T00:15:00Z | 2024-10-27T00:30:00Z 2024-10-27T02:00:00Z 2024-10-27T02:30:00Z
            # asked from inside the repeated hour, the next time is after it
            */30 * * * *     | Europe/Berlin    | 2024-10-27T01:10:00Z | 2024-10-27T02:00:00Z 2024-10-27T02:30:00Z
            # daily at 09:00 keeps 09:00 local across both changes
            0 9 * * *        | Europe/Berlin    | 2024-03-30T00:00:00Z | 2024-03-30T08:00:00Z 2024-03-31T07:00:00Z 2024-04-01T07:00:00Z
            0 9 * * *        | Europe/Berlin    | 2024-10-26T00:00:00Z | 2024-10-26T07:00:00Z 2024-10-27T08:00:00Z
            # New York: 02:30 skipped on 10 March fires at 03:00 EDT
            30 2 * * *       | America/New_York | 2024-03-09T12:00:00Z | 2024-03-10T07:00:00Z 2024-03-11T06:30:00Z
            # 01:30 repeated on 3 November fires once, in EDT; then EST
            30 1 * * *       | America/New_York | 2024-11-02T12:00:00Z | 2024-11-03T05:30:00Z 2024-11-04T06:30:00Z
            # every 20 minutes: 01:00-01:40 EDT fire, the repeated 01:00-01:40 EST do not, 02:00 EST does
            */20 * * * *     | America/New_York | 2024-11-03T04:50:00Z | 2024-11-03T05:00:00Z 2024-11-03T05:20:00Z 2024-11-03T05:40:00Z 2024-11-03T07:00:00Z 2024-11-03T07:20:00Z
            */20 * * * *     | America/New_York | 2024-11-03T06:10:00Z | 2024-11-03T07:00:00Z
            # hourly in New York around the spring gap: 01:00 EST, then 03:00 EDT (02:00 skipped, once)
            0 * * * *        | America/New_York | 2024-03-10T05:30:00Z | 2024-03-10T06:00:00Z 2024-03-10T07:00:00Z 2024-03-10T08:00:00Z
            # Sao Paulo skipped midnight on 4 November 2018: the daily run is not lost, it fires at 01:00
            0 0 * * *        | America/Sao_Paulo| 2018-11-03T12:00:00Z | 2018-11-04T03:00:00Z 2018-11-05T02:00:00Z
            """)
    void firesOnceForEachLocalTime(String expression, String zone, String after, String expected) {
        List<Instant> want = Arrays.stream(expected.split(" ")).map(Instant::parse).toList();
        assertThat(Schedule.cron(expression, zone.strip()).nextTimes(Instant.parse(after), want.size()))
                .containsExactlyElementsOf(want);
    }
}
