package io.snowpack.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a host that depends on {@code snowpack-core} alone inherits: the resolved compile and runtime dependencies,
 * as Maven lists them for this build ({@code target/host-dependencies.txt}, written by the dependency plugin before
 * the tests run). Adding a dependency to core fails here until it is added on purpose.
 */
class CoreDependenciesTest {
    /** groupId:artifactId:type:version:scope, as the dependency plugin writes each line. */
    private static final Pattern LINE = Pattern.compile("^\\s*([^:\\s]+):([^:\\s]+):[^:\\s]+:[^:\\s]+:(\\w+)");

    @Test
    void aHostOfCoreAloneGetsSlf4jAndMicrometerAndNoHttpJsonPrometheusOrCacheJar() throws IOException {
        Set<String> inherited = inherited();

        assertThat(inherited).containsExactlyInAnyOrder(
                "org.slf4j:slf4j-api",
                "io.micrometer:micrometer-core",
                "io.micrometer:micrometer-commons",
                "io.micrometer:micrometer-observation",
                "org.hdrhistogram:HdrHistogram",
                "org.jspecify:jspecify");
        assertThat(inherited).noneMatch(artifact -> artifact.matches(
                "(?i).*(jackson|prometheus|caffeine|http|jetty|netty|servlet|jdbi|iceberg|hadoop).*"));
    }

    private static Set<String> inherited() throws IOException {
        Path list = Path.of("target", "host-dependencies.txt");
        assertThat(list).as("written by maven-dependency-plugin:list in generate-test-resources").exists();
        List<String> lines = Files.readAllLines(list);
        Set<String> artifacts = lines.stream().map(LINE::matcher).filter(Matcher::find)
                .peek(m -> assertThat(m.group(3)).isIn("compile", "runtime"))
                .map(m -> m.group(1) + ":" + m.group(2)).collect(Collectors.toSet());
        assertThat(artifacts).as(String.join("\n", lines)).isNotEmpty();
        return artifacts;
    }
}
