package io.snowpack.core.model;

import static io.snowpack.core.model.MaintenanceAction.EXPIRE_SNAPSHOTS;
import static io.snowpack.core.model.MaintenanceAction.REMOVE_ORPHAN_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_DATA_FILES;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_MANIFESTS;
import static io.snowpack.core.model.MaintenanceAction.REWRITE_POSITION_DELETE_FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidActionException;
import io.snowpack.core.InvalidRequestException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceActionTest {

    @Test
    void declarationOrderIsTheCanonicalExecutionOrderWithSnakeCaseNames() {
        assertThat(Arrays.stream(MaintenanceAction.values()).map(MaintenanceAction::wireName)).containsExactly(
                "rewrite_data_files", "rewrite_position_delete_files", "expire_snapshots", "rewrite_manifests",
                "remove_orphan_files");
        for (MaintenanceAction action : MaintenanceAction.values()) {
            assertThat(MaintenanceAction.parse(action.wireName())).isSameAs(action);
        }
    }

    @Test
    void parseAllDeduplicatesAndSortsIntoCanonicalOrder() {
        assertThat(MaintenanceAction.parseAll(List.of("remove_orphan_files", "expire_snapshots", "rewrite_manifests",
                "expire_snapshots", "rewrite_position_delete_files", "rewrite_data_files")))
                .containsExactly(REWRITE_DATA_FILES, REWRITE_POSITION_DELETE_FILES, EXPIRE_SNAPSHOTS,
                        REWRITE_MANIFESTS, REMOVE_ORPHAN_FILES);
        assertThat(MaintenanceAction.canonical(List.of(REMOVE_ORPHAN_FILES, REWRITE_DATA_FILES, REMOVE_ORPHAN_FILES)))
                .containsExactly(REWRITE_DATA_FILES, REMOVE_ORPHAN_FILES);
    }

    @Test
    void anUnknownNameIsNamedWithTheValidOnes() {
        for (String bad : new String[] {"Rewrite_Data_Files", "compact", "", " expire_snapshots"}) {
            assertThatThrownBy(() -> MaintenanceAction.parse(bad))
                    .isInstanceOf(InvalidActionException.class)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("Unknown maintenance action '" + bad + "'; valid actions are: rewrite_data_files, "
                            + "rewrite_position_delete_files, expire_snapshots, rewrite_manifests, remove_orphan_files");
        }
        assertThatThrownBy(() -> MaintenanceAction.parse(null)).hasMessageContaining("'null'");
    }

    @Test
    void anEmptyOrNullListIsInvalid() {
        assertThatThrownBy(() -> MaintenanceAction.parseAll(List.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("At least one action");
        assertThatThrownBy(() -> MaintenanceAction.parseAll(null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> MaintenanceAction.canonical(Arrays.asList(REWRITE_DATA_FILES, null)))
                .isInstanceOf(InvalidRequestException.class);
    }
}
