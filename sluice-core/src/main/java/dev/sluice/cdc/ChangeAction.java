package dev.sluice.cdc;

/** What happened to an object since the last detection run. */
public enum ChangeAction {
    /** New at the source. */
    CREATE,
    /** Its content changed. */
    UPDATE,
    /** Gone from the source. */
    DELETE
}
