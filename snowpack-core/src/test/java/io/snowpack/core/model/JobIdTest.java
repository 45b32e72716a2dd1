package io.snowpack.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidRequestException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdTest {

    @Test
    void randomIdsAre32LowercaseHexCharactersAndDistinct() {
        Set<JobId> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            JobId id = JobId.random();
            assertThat(id.value()).matches("[0-9a-f]{32}");
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void parseAcceptsOnlyWellFormedIds() {
        String good = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
        assertThat(JobId.parse(good).value()).isEqualTo(good);
        assertThat(JobId.parse(good)).hasToString(good);
        for (String bad : new String[] {"A1B2C3D4E5F60718293A4B5C6D7E8F90", "a1b2", good + "0", "g".repeat(32), ""}) {
            assertThatThrownBy(() -> JobId.parse(bad))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("32 lowercase hexadecimal");
        }
        assertThatThrownBy(() -> JobId.parse(null)).isInstanceOf(InvalidRequestException.class);
    }
}
