package io.snowpack.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code snowpack-bom} has no parent (so importing it pins nothing but Snowpack), which means nothing keeps it in
 * step with the build by itself: this does. Every published module is managed, at the project's version, and
 * nothing else is.
 */
class BomTest {
    private static final Path ROOT = Path.of("..");
    /** Modules that are built but not published for hosts. */
    private static final List<String> NOT_PUBLISHED = List.of("snowpack-bom", "iceberg-rest-fixture",
            "snowpack-examples", "benchmarks", "benchmarks/spark");

    @Test
    void theBomManagesEveryPublishedModuleAtTheProjectVersionAndNothingElse() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("snowpack-bom/pom.xml"));
        String version = child(parent.getDocumentElement(), "version");

        List<String> published = new ArrayList<>();
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().trim();
            if (!NOT_PUBLISHED.contains(module)) {
                Document pom = read(ROOT.resolve(module).resolve("pom.xml"));
                published.add(child(pom.getDocumentElement(), "artifactId"));
            }
        }
        Map<String, String> managed = new TreeMap<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "groupId")).isEqualTo("io.snowpack");
            managed.put(child(dependency, "artifactId"), child(dependency, "version"));
        }

        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(version);
        assertThat(bom.getElementsByTagName("parent").getLength()).as("a parent would leak its pins").isZero();
        assertThat(managed.keySet()).containsExactlyInAnyOrderElementsOf(published);
        assertThat(managed.values()).containsOnly("${project.version}");
    }

    private static Document read(Path pom) throws Exception {
        assertThat(pom).exists();
        try (var in = Files.newInputStream(pom)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static String child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError(element.getTagName() + " has no <" + name + ">");
    }
}
