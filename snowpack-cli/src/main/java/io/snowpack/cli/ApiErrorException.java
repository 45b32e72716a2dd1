package io.snowpack.cli;

/**
 * The API answered with an error status. The message is the API's own {@code detail} with its status and error
 * code, e.g. {@code Table not found: offer_service.missing (HTTP 404 table_not_found)}; the exit code follows
 * {@link ExitCodes#forStatus(int)}.
 */
public final class ApiErrorException extends CliException {
    private final int status;
    private final String error;

    /**
     * @param status the HTTP status
     * @param error  the API's error code ({@code table_not_found}), or {@code null} when the answer had none
     * @param detail what the API said was wrong
     */
    public ApiErrorException(int status, String error, String detail) {
        super(ExitCodes.forStatus(status), detail + " (HTTP " + status + (error == null ? "" : " " + error) + ")");
        this.status = status;
        this.error = error;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The API's error code, or {@code null}. */
    public String error() {
        return error;
    }
}
