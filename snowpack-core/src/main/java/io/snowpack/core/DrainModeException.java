package io.snowpack.core;

/**
 * Drain mode is on: new maintenance jobs are refused during a backend migration or maintenance window.
 * Answered with HTTP 503.
 */
public class DrainModeException extends SnowpackException {
    public DrainModeException() {
        super(ErrorCode.DRAIN_MODE, "Drain mode is enabled: new maintenance jobs are not accepted");
    }
}
