package dev.sluice.cdc;

/**
 * One object as the source has it now.
 *
 * @param id its identity at the source
 * @param content any value Jackson can write; its canonical JSON is hashed
 */
public record SourceObject(String id, Object content) {
    public SourceObject {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("source object id must not be blank");
        }
    }
}
