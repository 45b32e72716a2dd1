package io.snowpack.core.leader;

/**
 * A leader-only write was refused because this process does not lead (any more): its lease lapsed, was taken over,
 * or was never held. Nothing of the refused unit of work was written.
 */
public final class LeadershipLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeadershipLostException(String message) {
        super(message);
    }
}
