package io.snowpack.core;

/**
 * A status change the job life cycle forbids (for example {@code completed -> running}). Signals a bug in the
 * caller: terminal states never change and only the documented transitions exist.
 */
public class IllegalJobTransitionException extends SnowpackException {
    public IllegalJobTransitionException(String message) {
        super(ErrorCode.INTERNAL, message);
    }
}
