package io.snowpack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The HTTP statuses behind each documented exit code (the README's table). */
class ExitCodesTest {
    @Test
    void everyErrorStatusHasItsDocumentedExitCode() {
        assertThat(ExitCodes.forStatus(400)).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.forStatus(422)).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.forStatus(413)).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.forStatus(404)).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ExitCodes.forStatus(409)).isEqualTo(ExitCodes.CONFLICT);
        assertThat(ExitCodes.forStatus(401)).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(ExitCodes.forStatus(403)).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(ExitCodes.forStatus(500)).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(ExitCodes.forStatus(503)).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(ExitCodes.forStatus(302)).as("the API never redirects").isEqualTo(ExitCodes.SERVER_ERROR);
    }

    @Test
    void theCodesAreDistinctAndStable() {
        assertThat(new int[] {ExitCodes.OK, ExitCodes.JOB_FAILED, ExitCodes.USAGE, ExitCodes.NOT_FOUND,
                ExitCodes.CONFLICT, ExitCodes.SERVER_ERROR, ExitCodes.UNREACHABLE, ExitCodes.UNAUTHORIZED})
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }
}
