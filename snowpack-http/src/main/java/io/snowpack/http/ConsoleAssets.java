package io.snowpack.http;

import io.snowpack.core.model.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The web console's static files ({@code /ui} and {@code /ui/<file>}), read once from this jar's
 * {@value #FOLDER} folder. Only the files named in {@link #FILES} exist: any other name, a dot-segment or an encoded
 * slash is a 404, so no path ever reaches the class path or the file system (no traversal). The files hold no data
 * (the page fetches everything from the API with the operator's token), so they are served without a token. Each
 * answer carries its content type, {@code Cache-Control: no-cache} with a strong {@code ETag} (the browser
 * revalidates and gets a 304 while the jar is the same), {@code X-Content-Type-Options: nosniff}, and the page a
 * Content-Security-Policy that allows only its own scripts, styles and API.
 */
final class ConsoleAssets {
    static final String FOLDER = "/io/snowpack/http/ui/";
    /** The page served at {@code /ui}; the other files are what it loads. */
    static final String PAGE = "index.html";
    /** The files served, by name, with their content types. */
    static final Map<String, String> FILES = Map.of(
            PAGE, "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "api.js", "text/javascript; charset=utf-8",
            "dom.js", "text/javascript; charset=utf-8",
            "pages.js", "text/javascript; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");
    /** Where the page's relative links point: {@code /ui} without a slash resolves them against the parent. */
    private static final String ASSET_BASE = "%ASSET_BASE%";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(String contentType, byte[] body, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    ConsoleAssets() {
        FILES.forEach((name, type) -> assets.put(name, load(name, type)));
    }

    /** {@code GET /ui} and {@code /ui/}: the page, its links resolved from where it was asked for. */
    ApiResponse page(Call call) {
        boolean slash = call.request().rawPath().endsWith("/");
        return answer(call, PAGE, slash ? "" : "ui/");
    }

    /** {@code GET /ui/{file}}: one of {@link #FILES}, else 404. */
    ApiResponse file(Call call) {
        String name = call.path(0);
        if (!FILES.containsKey(name)) {
            throw new HttpError(404, "not_found", "No console file " + Text.abbreviate(name));
        }
        return answer(call, name, "");
    }

    private ApiResponse answer(Call call, String name, String assetBase) {
        Asset asset = assets.get(name);
        byte[] body = asset.body();
        String etag = asset.etag();
        if (name.equals(PAGE)) {
            body = new String(body, StandardCharsets.UTF_8).replace(ASSET_BASE, assetBase)
                    .getBytes(StandardCharsets.UTF_8);
            etag = etag.substring(0, etag.length() - 1) + (assetBase.isEmpty() ? "-d" : "-u") + "\"";
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", asset.contentType());
        headers.put("Cache-Control", "no-cache");
        headers.put("ETag", etag);
        headers.put("X-Content-Type-Options", "nosniff");
        if (name.equals(PAGE)) {
            headers.put("Content-Security-Policy", CSP);
            headers.put("Referrer-Policy", "no-referrer");
        }
        if (matches(call.request().header("If-None-Match"), etag)) {
            return new ApiResponse(304, headers, null);
        }
        return new ApiResponse(200, headers, body);
    }

    private static boolean matches(Optional<String> ifNoneMatch, String etag) {
        return ifNoneMatch.map(value -> List.of(value.split(",")).stream().map(String::trim)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("*"))).orElse(false);
    }

    private static Asset load(String name, String type) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("The console file " + FOLDER + name + " is missing from the jar");
            }
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Asset(type, body, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the console file " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
