package io.snowpack.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class MaintenanceModeTest {

    @Test
    void wireNamesAreSnakeCase() {
        assertThat(MaintenanceMode.OPT_IN.wireName()).isEqualTo("opt_in");
        assertThat(MaintenanceMode.OPT_OUT.wireName()).isEqualTo("opt_out");
        assertThat(MaintenanceMode.OPT_OUT).hasToString("opt_out");
    }

    @Test
    void parseReadsWireNamesInAnyCase() {
        assertThat(MaintenanceMode.parse("k", "opt_in")).isEqualTo(MaintenanceMode.OPT_IN);
        assertThat(MaintenanceMode.parse("k", " OPT_OUT ")).isEqualTo(MaintenanceMode.OPT_OUT);
    }

    @Test
    void parseNamesTheKeyTheBadValueAndTheValidOnes() {
        assertThatThrownBy(() -> MaintenanceMode.parse("orchestrator.maintenance_mode", "optin"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid value 'optin' for orchestrator.maintenance_mode: expected opt_in or opt_out")
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).key())
                        .isEqualTo("orchestrator.maintenance_mode"));
    }
}
