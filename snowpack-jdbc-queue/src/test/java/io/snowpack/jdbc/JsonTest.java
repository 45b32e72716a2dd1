package io.snowpack.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON of text columns: empty values, written without the mapper, read back as the mapper would write them. */
class JsonTest {
    @Test
    void emptyMapsAndListsAreWrittenAsTheMapperWritesThemAndReadBackEmpty() {
        assertThat(Json.write(Map.of())).isEqualTo("{}");
        assertThat(Json.write(List.of())).isEqualTo("[]");
        assertThat(Json.read(Json.write(Map.of()), new TypeReference<Map<String, Object>>() { })).isEmpty();
        assertThat(Json.read(Json.write(List.of()), new TypeReference<List<String>>() { })).isEmpty();
    }

    @Test
    void otherValuesGoThroughTheMapper() {
        assertThat(Json.write(Map.of("files", 3))).isEqualTo("{\"files\":3}");
        assertThat(Json.write(List.of("a"))).isEqualTo("[\"a\"]");
    }
}
