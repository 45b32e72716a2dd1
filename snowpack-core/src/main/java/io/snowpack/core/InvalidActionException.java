package io.snowpack.core;

/**
 * An action name that is not one of the five maintenance actions. The message names the bad value and the
 * valid ones. Answered with HTTP 400.
 */
public class InvalidActionException extends InvalidRequestException {
    public InvalidActionException(String message) {
        super(message);
    }
}
