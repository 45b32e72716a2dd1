package io.snowpack.examples.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a browser, as a test reads it: explicit waits for what the page shows (the console redraws its
 * live views, so an element found a moment ago may be gone: waits and clicks look again), and screenshots under
 * {@link #SCREENSHOTS}.
 */
final class ConsoleDriver implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    /** Longest wait for anything the console shows; the usual case is well under a second. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final WebDriver driver;
    private final WebDriverWait wait;

    ConsoleDriver(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits until {@code condition} answers something other than null or false, and returns it. */
    <T> T until(String what, Function<WebDriver, T> condition) {
        return wait.withMessage(what).until(condition);
    }

    /** Waits for an element and answers its text. */
    String text(By locator) {
        return until(locator + " is shown", d -> {
            List<WebElement> found = d.findElements(locator);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0).getText();
        });
    }

    /** Waits for an element and answers its attribute {@code name} (null when absent). */
    String attribute(By locator, String name) {
        return until(locator + " is present", d -> {
            List<WebElement> found = d.findElements(locator);
            return found.isEmpty() ? null : String.valueOf(found.get(0).getDomAttribute(name));
        });
    }

    /** Waits until the element exists and shows. */
    void shown(By locator) {
        text(locator);
    }

    /** Waits until {@code locator} matches exactly {@code count} elements. */
    List<WebElement> count(By locator, int count) {
        return until(count + " × " + locator, d -> {
            List<WebElement> found = d.findElements(locator);
            return found.size() == count ? found : null;
        });
    }

    /** Clicks the element once it is there and enabled, looking it up again if the page redrew it. */
    void click(By locator) {
        until(locator + " can be clicked", d -> {
            WebElement element = d.findElement(locator);
            if (!element.isDisplayed() || !element.isEnabled()) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /** Ticks, among the check boxes {@code boxes}, exactly those whose value is one of {@code values}. */
    void checkOnly(By boxes, String... values) {
        List<String> wanted = List.of(values);
        until("only " + wanted + " ticked", d -> {
            for (WebElement box : d.findElements(boxes)) {
                if (box.isSelected() != wanted.contains(box.getDomAttribute("value"))) {
                    box.click();
                }
            }
            return d.findElements(boxes).stream().filter(WebElement::isSelected)
                    .map(box -> box.getDomAttribute("value")).toList().equals(wanted);
        });
    }

    /** Replaces the text of an input, key by key. */
    void type(By locator, String text) {
        until(locator + " takes text", d -> {
            WebElement element = d.findElement(locator);
            // Select and delete like a user (clear() fires no input event, so the page would not filter again).
            element.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            if (!text.isEmpty()) {
                element.sendKeys(text);
            }
            return true;
        });
    }

    /** Saves the window as {@code target/ui-screenshots/<name>.png} and answers the file. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
