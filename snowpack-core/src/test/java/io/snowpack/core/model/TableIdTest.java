package io.snowpack.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidTableNameException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TableIdTest {

    @Test
    void parsesAKeyAndGivesItBack() {
        TableId id = TableId.parse("offer_service.offers");
        assertThat(id.database()).isEqualTo("offer_service");
        assertThat(id.table()).isEqualTo("offers");
        assertThat(id.key()).isEqualTo("offer_service.offers");
        assertThat(id).hasToString("offer_service.offers").isEqualTo(TableId.of("offer_service", "offers"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_x", "db_2", "z9_", "_"})
    void acceptsGlueNames(String name) {
        assertThat(TableId.isValidName(name)).isTrue();
        assertThat(new TableId(name, name).database()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Offers", "1db", "my-db", "db.x", "drop table;", "caf\u00e9", "..%2F", " db", "db "})
    void rejectsAnythingElseNamingTheBadValue(String name) {
        assertThat(TableId.isValidName(name)).isFalse();
        assertThatThrownBy(() -> new TableId("ok", name))
                .isInstanceOf(InvalidTableNameException.class)
                .hasMessageContaining("Invalid table name '" + name + "'")
                .hasMessageContaining("[a-z0-9_]");
    }

    @Test
    void limitsNamesTo255CharactersAndKeepsMessagesShort() {
        assertThat(TableId.isValidName("a".repeat(255))).isTrue();
        String huge = "a".repeat(10_000);
        assertThatThrownBy(() -> new TableId(huge, "t"))
                .isInstanceOf(InvalidTableNameException.class)
                .hasMessageContaining("Invalid database name 'aaaa")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
        assertThatThrownBy(() -> new TableId(null, "t")).isInstanceOf(InvalidTableNameException.class);
    }

    @Test
    void aKeyNeedsExactlyOneDot() {
        assertThatThrownBy(() -> TableId.parse("offers")).isInstanceOf(InvalidTableNameException.class)
                .hasMessageContaining("'offers'").hasMessageContaining("database.table");
        assertThatThrownBy(() -> TableId.parse("a.b.c")).isInstanceOf(InvalidTableNameException.class);
        assertThatThrownBy(() -> TableId.parse(".b")).isInstanceOf(InvalidTableNameException.class);
        assertThatThrownBy(() -> TableId.parse(null)).isInstanceOf(InvalidTableNameException.class);
    }
}
