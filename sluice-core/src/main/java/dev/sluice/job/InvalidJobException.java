package dev.sluice.job;

/**
 * A job request that cannot be accepted; the message names the option and the value. Nothing
 * was written when this is thrown.
 */
public class InvalidJobException extends IllegalArgumentException {
    private final String option;

    public InvalidJobException(String option, String message) {
        super(option + ": " + message);
        this.option = option;
    }

    /** The name of the rejected option, such as {@code "delay"} or {@code "payload"}. */
    public String option() {
        return option;
    }
}
