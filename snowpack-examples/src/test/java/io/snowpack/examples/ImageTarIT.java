package io.snowpack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image {@code jib:buildTar} wrote to {@code target/jib-image.tar} (profile "image", run by failsafe after
 * {@code package}): its manifest, config and layers, then the image's own JRE running the image's snowpack.jar.
 */
class ImageTarIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TAR = Path.of(System.getProperty("image.tar", "target/jib-image.tar"));
    private static final String REFERENCE = System.getProperty("image.reference", "snowpack:0.1.0-SNAPSHOT");
    private static final List<String> ENTRYPOINT =
            List.of("/opt/java/bin/java", "-XX:MaxRAMPercentage=75", "-jar", "/app/snowpack.jar");

    private static JsonNode manifest;
    private static JsonNode config;
    /** Every file and directory of the image (path without the leading slash), in layer order: later wins. */
    private static final Map<String, Entry> FILES = new LinkedHashMap<>();
    private static final List<String> LAYER_NAMES = new ArrayList<>();

    record Entry(String name, char type, int mode, byte[] content) {
    }

    @BeforeAll
    static void readTheTar() throws IOException {
        Map<String, Entry> outer = new HashMap<>();
        try (InputStream in = Files.newInputStream(TAR)) {
            for (Entry entry : readTar(in)) {
                outer.put(entry.name(), entry);
            }
        }
        JsonNode manifests = JSON.readTree(outer.get("manifest.json").content());
        assertThat(manifests).hasSize(1);
        manifest = manifests.get(0);
        config = JSON.readTree(outer.get(manifest.get("Config").asText()).content());
        for (JsonNode layer : manifest.get("Layers")) {
            Entry blob = outer.get(layer.asText());
            assertThat(blob).as("layer %s is in the tar", layer.asText()).isNotNull();
            LAYER_NAMES.add(layer.asText());
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob.content()))) {
                for (Entry entry : readTar(in)) {
                    FILES.put(entry.name().replaceFirst("^\\./", "").replaceFirst("/$", ""), entry);
                }
            }
        }
    }

    @Test
    void theManifestNamesTheImageTheKubernetesManifestsRun() throws IOException {
        assertThat(manifest.get("RepoTags")).extracting(JsonNode::asText).containsExactly(REFERENCE);
        assertThat(LAYER_NAMES).hasSize(config.get("rootfs").get("diff_ids").size());
        List<String> images = new ArrayList<>();
        List<String> sparkImages = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("deploy"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Matcher image = Pattern.compile("(?m)^\\s*image:\\s*(\\S+)\\s*$").matcher(Files.readString(file));
                while (image.find()) {
                    (file.endsWith("spark-worker.yaml") ? sparkImages : images).add(image.group(1));
                }
            }
        }
        assertThat(images).as("the API, the worker Deployment and the KEDA ScaledJob").hasSize(3)
                .allSatisfy(image -> assertThat(image).isEqualTo(REFERENCE));
        assertThat(sparkImages).as("the Spark worker: this image with snowpack-spark's class path added (README)")
                .containsExactly(REFERENCE.replaceFirst("^snowpack:", "snowpack-spark:"));
    }

    @Test
    void theEntrypointRunsTheAppsAsANonRootUserWithContainerDefaults() throws IOException {
        JsonNode container = config.get("config");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(container.get("Entrypoint")).extracting(JsonNode::asText).containsExactlyElementsOf(ENTRYPOINT);
        assertThat(container.path("Cmd").size()).as("no arguments: the quickstart").isZero();
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(file("app/snowpack.jar").content()))) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(Main.class.getName());
        }

        String user = container.get("User").asText();
        assertThat(user).matches("\\d+:\\d+");
        String uid = user.split(":")[0];
        assertThat(Integer.parseInt(uid)).as("non-root").isPositive();
        assertThat(new String(file("etc/passwd").content(), StandardCharsets.UTF_8))
                .containsPattern("(?m)^snowpack:x:" + uid + ":" + user.split(":")[1] + ":");

        Map<String, String> env = environment();
        assertThat(env).containsEntry("SNOWPACK_HTTP_HOST", "0.0.0.0").containsEntry("SNOWPACK_HTTP_PORT", "8080")
                .containsEntry("SNOWPACK_DATA_DIR", "/tmp/snowpack-data").containsEntry("JAVA_HOME", "/opt/java");
        assertThat(container.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(file("tmp").type()).isEqualTo('5');
        assertThat(file("tmp").mode() & 0777).as("/tmp writable by the app's user").isEqualTo(0777);
    }

    @Test
    void theLayersHoldTheLibrariesTheJreAndTheAppJar() throws IOException {
        assertThat(FILES.keySet()).contains("app/snowpack.jar", "opt/java/release", "opt/java/lib/modules",
                "opt/java/lib/server/libjvm.so", "etc/passwd", "etc/group");
        assertThat(FILES.keySet()).as("only snowpack.jar under /app: Jib's class and library layers are filtered")
                .filteredOn(name -> name.startsWith("app/")).containsOnly("app/snowpack.jar");
        assertThat(file("opt/java/bin/java").mode() & 0111).as("java is executable").isEqualTo(0111);
        assertThat(file("bin/chmod").mode() & 0111).as("chmod, which Hadoop's local file system runs")
                .isEqualTo(0111);
        assertThat(file("bin/snowpack").mode() & 0111).as("the CLI's launcher, on the image's PATH").isEqualTo(0111);
        assertThat(new String(file("bin/snowpack").content(), StandardCharsets.UTF_8))
                .startsWith("#!/bin/sh").contains("-jar /app/snowpack.jar cli \"$@\"");
        assertThat(file("bin/sh").mode() & 0111).as("the shell that runs it").isEqualTo(0111);
        assertThat(environment().get("PATH").split(":")).contains("/bin");
        assertThat(file("app/snowpack.jar").content().length)
                .isEqualTo(Files.size(Path.of("target/snowpack.jar")));
        // The C libraries build-root.sh copied (ldd of the JRE), at the paths the JRE finds them.
        for (String library : Files.readAllLines(Path.of("target/image-root-libraries.txt"))) {
            if (!library.isBlank()) {
                assertThat(FILES).as(library).containsKey(library.substring(1));
            }
        }
        assertThat(FILES.keySet()).anyMatch(name -> name.matches("lib(64)?/.*ld-linux.*\\.so\\.\\d"));
    }

    /**
     * The image's JRE runs the image's snowpack.jar until the quickstart's orchestrator compacts a table (Parquet
     * read and written through HadoopFileIO): in a chroot of the image's files as its user when this machine allows
     * one, else with this machine's C libraries.
     */
    @Test
    void theImagesJreRunsTheQuickstartToACompaction(@TempDir Path temp) throws Exception {
        Path root = temp.resolve("root");
        for (Entry entry : FILES.values()) {
            Path target = root.resolve(entry.name());
            if (entry.type() == '5') {
                Files.createDirectories(target);
            } else if (entry.type() == '0') {
                Files.createDirectories(target.getParent());
                Files.write(target, entry.content());
            }
        }
        for (Entry entry : FILES.values()) {
            if (entry.type() == '0' || entry.type() == '5') {
                Files.setPosixFilePermissions(root.resolve(entry.name()),
                        PosixFilePermissions.fromString(rwx(entry.mode())));
            }
        }
        Files.createDirectories(root.resolve("proc"));

        Map<String, String> env = environment();
        String user = config.get("config").get("User").asText();
        List<String> command = new ArrayList<>();
        boolean chroot = runs(chroot(root, user, List.of("/opt/java/bin/java", "-version")));
        if (chroot) {
            command.addAll(chroot(root, user, ENTRYPOINT));
        } else {
            command.add(root.resolve("opt/java/bin/java").toString());
            command.addAll(ENTRYPOINT.subList(1, ENTRYPOINT.size() - 1));
            command.add(root.resolve("app/snowpack.jar").toString());
            env.put("SNOWPACK_DATA_DIR", temp.resolve("data").toString());
        }
        env.put("SNOWPACK_HTTP_HOST", "127.0.0.1");
        env.put("SNOWPACK_HTTP_PORT", String.valueOf(freePort()));
        env.put("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        System.out.println("ImageTarIT runs " + (chroot ? "in a chroot of the image" : "on this machine's libc")
                + ": " + command);

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("quickstart.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            String log = "";
            while (System.nanoTime() < deadline && process.isAlive()
                    && !log.contains("The orchestrator maintained demo.events") && !log.contains("Exception in")) {
                Thread.sleep(500);
                log = Files.readString(temp.resolve("quickstart.log"));
            }
            assertThat(log).as("quickstart output").contains("Created", "small files")
                    .contains("The orchestrator maintained demo.events").doesNotContain("Exception");
        } finally {
            // In a chroot the quickstart's JVM is a child of unshare: stop it too, not only its parent.
            List<ProcessHandle> children = process.descendants().toList();
            children.forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    child.destroyForcibly();
                }
            }
            assertThat(children).as("no process of the image's quickstart outlives the test")
                    .noneMatch(ProcessHandle::isAlive);
        }
    }

    private static List<String> chroot(Path root, String user, List<String> command) {
        List<String> all = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
                "--mount-proc=" + root.resolve("proc"), onPath("chroot"), "--userspec=" + user, root.toString()));
        all.addAll(command);
        return all;
    }

    /** The program's path on this machine's PATH: unshare runs it with the image's environment. */
    private static String onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).map(directory -> Path.of(directory, program))
                .filter(Files::isExecutable).findFirst().map(Path::toString).orElse(program);
    }

    private static boolean runs(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : config.get("config").get("Env")) {
            String[] pair = variable.asText().split("=", 2);
            env.put(pair[0], pair[1]);
        }
        return env;
    }

    private static Entry file(String name) {
        Entry entry = FILES.get(name);
        assertThat(entry).as("/%s is in the image", name).isNotNull();
        return entry;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String rwx(int mode) {
        StringBuilder text = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return text.toString();
    }

    /** A ustar/pax reader, enough for what Jib writes (regular files and directories; pax for long names). */
    private static List<Entry> readTar(InputStream in) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String paxPath = null;
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512) {
            if (header[0] == 0) {
                break;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            int mode = (int) octal(header, 100, 8);
            long size = octal(header, 124, 12);
            char type = header[156] == 0 ? '0' : (char) header[156];
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (type == 'x') {
                Matcher path = Pattern.compile("\\d+ path=([^\n]*)\n")
                        .matcher(new String(content, StandardCharsets.UTF_8));
                paxPath = path.find() ? path.group(1) : null;
                continue;
            }
            entries.add(new Entry(paxPath != null ? paxPath : name, type, mode, content));
            paxPath = null;
        }
        return entries;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String value = text(header, offset, length).trim();
        return value.isEmpty() ? 0 : Long.parseLong(value, 8);
    }
}
