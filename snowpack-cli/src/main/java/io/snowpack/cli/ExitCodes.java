package io.snowpack.cli;

/**
 * The exit codes of the {@code snowpack} command, one per kind of outcome, so scripts can branch on them. They are
 * part of the CLI's contract (the README's table lists them) and never change meaning.
 */
public final class ExitCodes {
    /** The command did what was asked; with {@code --wait}/{@code --watch}, the job completed. */
    public static final int OK = 0;
    /** With {@code --wait} or {@code --watch}: the job ended {@code failed} or {@code cancelled}. */
    public static final int JOB_FAILED = 1;
    /** Bad usage (unknown command or option, missing argument) or a request the API refused as invalid (400, 422). */
    public static final int USAGE = 2;
    /** The table or job does not exist (404). */
    public static final int NOT_FOUND = 3;
    /** A conflict (409): a job already holds the table, or the job already ended. */
    public static final int CONFLICT = 4;
    /** The API failed or refused to serve (5xx, including 503 in drain mode), or answered something unreadable. */
    public static final int SERVER_ERROR = 5;
    /** The API could not be reached: connection refused, unknown host, no answer in time. */
    public static final int UNREACHABLE = 6;
    /** The API refused the bearer token (401, 403): set {@code SNOWPACK_API_TOKEN}. */
    public static final int UNAUTHORIZED = 7;

    private ExitCodes() {
    }

    /** The exit code for an error answer with HTTP {@code status}. */
    public static int forStatus(int status) {
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status == 409) {
            return CONFLICT;
        }
        if (status == 401 || status == 403) {
            return UNAUTHORIZED;
        }
        if (status >= 500) {
            return SERVER_ERROR;
        }
        return status >= 400 ? USAGE : SERVER_ERROR;
    }
}
