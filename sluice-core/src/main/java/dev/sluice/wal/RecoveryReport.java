package dev.sluice.wal;

import java.util.List;

/**
 * What opening a log found and repaired.
 *
 * @param segments segment files read
 * @param records valid records found
 * @param unflushed records the checkpoint did not count as in the database (to be replayed)
 * @param replayed of those, how many were in the database when open returned (all of them unless
 *                 the recovery timeout passed first, or recovery was disabled)
 * @param damages damage found: torn tails cut off, corrupt stretches moved to {@code corrupt/}
 * @param notes anything else worth a person's attention (an unreadable checkpoint, a foreign file)
 */
public record RecoveryReport(int segments, long records, long unflushed, long replayed, List<WalDamage> damages,
                             List<String> notes) {
    public RecoveryReport {
        damages = List.copyOf(damages);
        notes = List.copyOf(notes);
    }

    RecoveryReport withReplayed(long replayed) {
        return new RecoveryReport(segments, records, unflushed, replayed, damages, notes);
    }
}
