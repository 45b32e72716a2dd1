package io.snowpack.cli;

import java.net.URI;

/** The API could not be reached at all (connection refused, unknown host, timeout); exit code 6. */
public final class ApiUnreachableException extends CliException {
    /** {@code url} could not be reached because of {@code reason} (e.g. "connection refused"). */
    public ApiUnreachableException(URI url, String reason, Throwable cause) {
        super(ExitCodes.UNREACHABLE, "Cannot reach the Snowpack API at " + url + ": " + reason
                + " (is it running? set --url or SNOWPACK_URL)", cause);
    }
}
