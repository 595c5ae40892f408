package io.geoetl.access;

/** geoetl was told to listen where anyone could reach it without a key; start-up stops with this. */
public class UnprotectedBindException extends RuntimeException {

    private final String description;
    private final String action;

    UnprotectedBindException(String description, String action) {
        super(description + " " + action);
        this.description = description;
        this.action = action;
    }

    /** What is wrong, for a person. */
    String description() {
        return description;
    }

    /** What to set instead. */
    String action() {
        return action;
    }
}
