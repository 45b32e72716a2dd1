package io.snowpack.examples.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through chromedriver, both from Debian's packages ({@code chromium},
 * {@code chromium-driver}): nothing is downloaded by Selenium (its driver manager is never asked, since both paths
 * are given). When either is missing and the tests run as root, {@link #ensureInstalled()} runs
 * {@code .ci/install-browser.sh} (apt-get) once; otherwise it says what to install.
 */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** How long apt-get may take on a fresh machine. */
    private static final Duration INSTALL_WAIT = Duration.ofMinutes(15);

    private HeadlessChromium() {
    }

    /**
     * Installs the browser when it is missing and this JVM runs as root.
     *
     * @return why the browser cannot be used, or empty when it can
     */
    static synchronized Optional<String> ensureInstalled() {
        if (present()) {
            return Optional.empty();
        }
        String advice = "as root run .ci/install-browser.sh (apt-get install -y chromium chromium-driver)";
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of(CHROMIUM + " or " + CHROMEDRIVER + " is missing and this user cannot install them; "
                    + advice);
        }
        Optional<Path> script = installScript();
        if (script.isEmpty()) {
            return Optional.of("chromium is missing and .ci/install-browser.sh was not found; " + advice);
        }
        try {
            Process install = new ProcessBuilder("bash", script.get().toString()).inheritIO().start();
            if (!install.waitFor(INSTALL_WAIT.toMinutes(), TimeUnit.MINUTES)) {
                install.destroyForcibly();
                return Optional.of("installing chromium took longer than " + INSTALL_WAIT.toMinutes() + " min");
            }
        } catch (IOException e) {
            return Optional.of("cannot run " + script.get() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while installing chromium");
        }
        return present() ? Optional.empty() : Optional.of(script.get() + " ran but " + CHROMIUM + " or "
                + CHROMEDRIVER + " is still missing; " + advice);
    }

    /** A new headless browser with a window of {@code width} × {@code height} CSS pixels; the caller quits it. */
    static WebDriver start(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--window-size=" + width + "," + height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static boolean present() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** {@code .ci/install-browser.sh} in the working directory (a module) or above it (the repository root). */
    private static Optional<Path> installScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve(".ci/install-browser.sh");
            if (Files.isRegularFile(script)) {
                return Optional.of(script);
            }
        }
        return Optional.empty();
    }
}
