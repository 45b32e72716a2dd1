package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's copy-paste catalog configurations ("Catalogs and storage") read as the apps read them: every variable
 * becomes the Iceberg property the README means, and each one is a property Iceberg knows, so none is misspelt or
 * read ambiguously.
 */
class ReadmeCatalogsTest {
    private static final Pattern SECTION = Pattern.compile("## Catalogs and storage\\n(.*?)\\n## ", Pattern.DOTALL);
    private static final Pattern BASH = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern VARIABLE = Pattern.compile("^(SNOWPACK_CATALOG_[A-Z0-9_]+)=(\\S*)", Pattern.MULTILINE);

    @Test
    void everyReadmeCatalogVariableIsAPropertyIcebergKnows() throws Exception {
        Matcher section = SECTION.matcher(Files.readString(Path.of("..", "README.md")));
        assertThat(section.find()).as("README.md has a 'Catalogs and storage' section").isTrue();
        List<Map<String, String>> blocks = new ArrayList<>();
        Matcher bash = BASH.matcher(section.group(1));
        while (bash.find()) {
            Map<String, String> environment = new LinkedHashMap<>();
            Matcher variable = VARIABLE.matcher(bash.group(1));
            while (variable.find()) {
                environment.put(variable.group(1), variable.group(2));
            }
            blocks.add(environment);
        }
        assertThat(blocks).as("S3 + JDBC, S3 + Glue, REST with OAuth2, REST with SigV4").hasSize(4);

        Map<String, String> s3Jdbc = new AppEnvironment(blocks.get(0)).catalogProperties();
        assertThat(s3Jdbc).containsKeys("type", "uri", "jdbc.user", "jdbc.password", "jdbc.schema-version",
                "warehouse", "io-impl", "client.region", "s3.endpoint", "s3.path-style-access", "s3.access-key-id",
                "s3.secret-access-key", "s3.chunked-encoding-enabled");
        assertThat(new AppEnvironment(blocks.get(1)).catalogProperties()).containsEntry("type", "glue")
                .containsKeys("warehouse", "client.region");
        assertThat(new AppEnvironment(blocks.get(2)).catalogProperties()).containsEntry("type", "rest")
                .containsEntry("rest.auth.type", "oauth2")
                .containsKeys("uri", "warehouse", "credential", "oauth2-server-uri", "scope", "io-impl");
        assertThat(new AppEnvironment(blocks.get(3)).catalogProperties()).containsEntry("type", "rest")
                .containsEntry("rest.auth.type", "sigv4")
                .containsKeys("uri", "warehouse", "rest.signing-region", "rest.signing-name", "io-impl");
        for (Map<String, String> block : blocks) {
            assertThat(new AppEnvironment(block).catalogProperties().keySet())
                    .allSatisfy(property -> assertThat(CatalogVariables.recognised(property))
                            .as("%s is a property Iceberg knows", property).isTrue());
        }
    }
}
