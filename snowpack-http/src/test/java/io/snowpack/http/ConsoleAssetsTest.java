package io.snowpack.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.snowpack.core.memory.InMemoryStore;
import io.snowpack.testkit.SettableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's files in process: every file the page or a module loads is one the API serves (a new module left
 * off {@link ConsoleAssets#FILES} would be a 404 in the browser), the page has no inline script or style (its CSP
 * forbids them), and the token rule: files open, data still guarded.
 */
class ConsoleAssetsTest {
    private static final Pattern PAGE_LINK = Pattern.compile("(?:src|href)=\"%ASSET_BASE%([^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("from '\\./([^']+)'");

    @Test
    void everyFileThePageAndItsModulesLoadIsServed() throws IOException {
        List<String> loaded = new ArrayList<>(links(text(ConsoleAssets.PAGE), PAGE_LINK));
        for (String file : ConsoleAssets.FILES.keySet()) {
            if (file.endsWith(".js")) {
                loaded.addAll(links(text(file), IMPORT));
            }
        }
        assertThat(loaded).contains("console.js", "console.css", "api.js", "dom.js", "pages.js");
        assertThat(ConsoleAssets.FILES).containsKeys(loaded.toArray(String[]::new));
        assertThat(loaded).as("every served file is used").containsAll(ConsoleAssets.FILES.keySet().stream()
                .filter(f -> !f.equals(ConsoleAssets.PAGE)).toList());
    }

    @Test
    void thePageHasNoInlineScriptOrStyleForItsPolicyToBlock() throws IOException {
        String page = text(ConsoleAssets.PAGE);
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style", " style=",
                " onclick=", "javascript:");
    }

    @Test
    void filesAreServedWithoutTheTokenAndDataStillNeedsIt() {
        try (SnowpackApi api = SnowpackApi.builder().store(InMemoryStore.create(new SettableClock()))
                .settings(HttpSettings.defaults().withApiToken("s3cret")).build()) {
            try (ApiResponse page = api.handle(ApiRequest.of("GET", "/ui"))) {
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.bodyText()).contains("src=\"ui/console.js\"");
            }
            try (ApiResponse page = api.handle(ApiRequest.of("GET", "/ui/"))) {
                assertThat(page.bodyText()).contains("src=\"console.js\"");
            }
            try (ApiResponse escape = api.handle(ApiRequest.of("GET", "/ui/../tables"))) {
                assertThat(escape.status()).isEqualTo(404);
            }
            try (ApiResponse data = api.handle(ApiRequest.of("GET", "/tables"))) {
                assertThat(data.status()).isEqualTo(401);
            }
            try (ApiResponse post = api.handle(ApiRequest.of("POST", "/ui/console.js", Map.of(), null))) {
                assertThat(post.status()).as("read only").isEqualTo(405);
            }
        }
    }

    private static List<String> links(String text, Pattern pattern) {
        List<String> links = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            links.add(matcher.group(1));
        }
        return links;
    }

    private static String text(String file) throws IOException {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(ConsoleAssets.FOLDER + file)) {
            assertThat(in).as(file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
