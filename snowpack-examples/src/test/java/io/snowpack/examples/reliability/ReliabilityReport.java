package io.snowpack.examples.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Writes one scenario's figures to {@code target/reliability/<scenario>.txt}, the source of RELIABILITY.md. */
final class ReliabilityReport {
    private ReliabilityReport() {
    }

    /** {@code keysAndValues}: key, value, key, value… */
    static void write(String scenario, Object... keysAndValues) throws IOException {
        Map<String, Object> figures = new TreeMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            figures.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        Path out = Path.of("target", "reliability", scenario + ".txt");
        Files.createDirectories(out.getParent());
        StringBuilder text = new StringBuilder();
        figures.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(out, text.toString());
    }
}
