package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snowpack.core.InvalidConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code SNOWPACK_CATALOG_*} in Iceberg's spelling (its REST fixture image: {@code __} is {@code -}, {@code _} is
 * {@code .}), the deprecated spelling still read with a warning, and ambiguous names never read silently.
 */
class CatalogVariablesTest {
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void icebergsSpellingIsReadAsIcebergsRestFixtureReadsIt() {
        CatalogVariables read = CatalogVariables.read(env("SNOWPACK_CATALOG_TYPE", "rest",
                "SNOWPACK_CATALOG_URI", "http://rest:8181", "SNOWPACK_CATALOG_IO__IMPL", "org.apache.iceberg.aws.s3.S3FileIO",
                "SNOWPACK_CATALOG_S3_ENDPOINT", "http://minio:9000", "SNOWPACK_CATALOG_S3_PATH__STYLE__ACCESS", "true",
                "SNOWPACK_CATALOG_NAME", "prod", "SNOWPACK_DATABASE_URL", "jdbc:postgresql://db/snowpack"));

        assertThat(read.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("type", "rest",
                "uri", "http://rest:8181", "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", "http://minio:9000", "s3.path-style-access", "true"));
        assertThat(read.warnings()).isEmpty();
    }

    @Test
    void theDeprecatedSpellingStillWorksWithAWarningNamingEachNewName() {
        CatalogVariables read = CatalogVariables.read(env("SNOWPACK_CATALOG_TYPE", "rest",
                "SNOWPACK_CATALOG_IO_IMPL", "org.apache.iceberg.aws.s3.S3FileIO",
                "SNOWPACK_CATALOG_S3__ENDPOINT", "http://minio:9000",
                "SNOWPACK_CATALOG_S3__PATH_STYLE_ACCESS", "true"));

        assertThat(read.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("type", "rest",
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "s3.endpoint", "http://minio:9000",
                "s3.path-style-access", "true"));
        assertThat(read.warnings()).singleElement().asString().contains("deprecated spelling",
                "SNOWPACK_CATALOG_IO_IMPL -> SNOWPACK_CATALOG_IO__IMPL (io-impl)",
                "SNOWPACK_CATALOG_S3__ENDPOINT -> SNOWPACK_CATALOG_S3_ENDPOINT (s3.endpoint)",
                "SNOWPACK_CATALOG_S3__PATH_STYLE_ACCESS -> SNOWPACK_CATALOG_S3_PATH__STYLE__ACCESS");
    }

    @Test
    void inAnOldSpellingEnvironmentAnAmbiguousNameIsReadTheOldWayAndSaidSo() {
        CatalogVariables read = CatalogVariables.read(env("SNOWPACK_CATALOG_IO_IMPL", "x.FileIO",
                "SNOWPACK_CATALOG_MY_SETTING", "1"));

        assertThat(read.properties()).containsEntry("io-impl", "x.FileIO").containsEntry("my-setting", "1")
                .doesNotContainKey("my.setting");
        assertThat(read.warnings()).singleElement().asString()
                .contains("SNOWPACK_CATALOG_MY_SETTING -> SNOWPACK_CATALOG_MY__SETTING (my-setting) [ambiguous",
                        "Iceberg's reading would be my.setting");
    }

    @Test
    void anAmbiguousNameAloneIsReadIcebergsWayWithALoudWarningThatNamesBothReadings() {
        CatalogVariables read = CatalogVariables.read(env("SNOWPACK_CATALOG_CATALOG__IMPL", "com.example.MyCatalog",
                "SNOWPACK_CATALOG_MY_SETTING", "1"));

        assertThat(read.properties()).containsEntry("catalog-impl", "com.example.MyCatalog")
                .containsEntry("my.setting", "1");
        assertThat(read.warnings()).singleElement().asString().startsWith("AMBIGUOUS SNOWPACK_CATALOG_MY_SETTING")
                .contains("read as my.setting", "not as my-setting", "SNOWPACK_CATALOG_MY__SETTING",
                        "SNOWPACK_CATALOG_NAMING=iceberg");
    }

    @Test
    void aMixOfSpellingsReadsEachRecognisedNameItsOwnWayAndWarnsAboutTheOldOne() {
        CatalogVariables read = CatalogVariables.read(env("SNOWPACK_CATALOG_S3_ENDPOINT", "http://minio:9000",
                "SNOWPACK_CATALOG_IO_IMPL", "x.FileIO", "SNOWPACK_CATALOG_MY_SETTING", "1"));

        assertThat(read.properties()).containsEntry("s3.endpoint", "http://minio:9000")
                .containsEntry("io-impl", "x.FileIO").containsEntry("my.setting", "1");
        assertThat(read.warnings()).hasSize(2);
        assertThat(read.warnings().get(0)).contains("SNOWPACK_CATALOG_IO_IMPL is in the deprecated spelling",
                "read as io-impl", "rename it SNOWPACK_CATALOG_IO__IMPL");
        assertThat(read.warnings().get(1)).startsWith("AMBIGUOUS SNOWPACK_CATALOG_MY_SETTING");
    }

    @Test
    void namingPinsTheSpellingOfEveryNameWithoutGuessing() {
        CatalogVariables iceberg = CatalogVariables.read(env("SNOWPACK_CATALOG_NAMING", "iceberg",
                "SNOWPACK_CATALOG_IO_IMPL", "x", "SNOWPACK_CATALOG_MY_SETTING", "1"));
        assertThat(iceberg.properties()).containsOnlyKeys("io.impl", "my.setting");
        assertThat(iceberg.warnings()).isEmpty();

        CatalogVariables legacy = CatalogVariables.read(env("SNOWPACK_CATALOG_NAMING", "LEGACY",
                "SNOWPACK_CATALOG_S3_ENDPOINT", "x"));
        assertThat(legacy.properties()).containsOnlyKeys("s3-endpoint");
        assertThat(legacy.warnings()).singleElement().asString().contains("SNOWPACK_CATALOG_NAMING=legacy",
                "SNOWPACK_CATALOG_S3_ENDPOINT -> SNOWPACK_CATALOG_S3__ENDPOINT (s3-endpoint)");
    }

    @Test
    void aBadNamingIsABadSettingNamingItsValue() {
        assertThatThrownBy(() -> new AppEnvironment(env("SNOWPACK_CATALOG_NAMING", "dots")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("Invalid SNOWPACK_CATALOG_NAMING 'dots'")
                .hasMessageContaining("expected iceberg");
    }

    @Test
    void theAppEnvironmentPassesTheNameAndNamingOnButNotAsProperties() {
        AppEnvironment environment = new AppEnvironment(env("SNOWPACK_CATALOG_NAME", "prod",
                "SNOWPACK_CATALOG_NAMING", "iceberg", "SNOWPACK_CATALOG_JDBC_USER", "u"));
        assertThat(environment.catalogName()).isEqualTo("prod");
        assertThat(environment.catalogProperties()).containsOnlyKeys("jdbc.user");
        assertThat(environment.catalogWarnings()).isEmpty();
    }
}
