package io.snowpack.spring;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.config.SnowpackConfig;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Reads Snowpack's settings from the host's {@code snowpack.*} properties with Snowpack's own parser
 * ({@link SnowpackConfig#fromProperties}): every {@code snowpack.*} key that is not one of the starter's own
 * ({@link SnowpackProperties}) must name a Snowpack setting, so a typo fails the start with the close keys named.
 * Kebab case is accepted ({@code health-sync.interval} is {@code health_sync.interval}).
 */
final class SnowpackSettings {
    private static final String PREFIX = "snowpack";

    private SnowpackSettings() {
    }

    static SnowpackConfig config(Binder binder) {
        Map<String, String> all = binder.bind(PREFIX, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        Map<String, String> settings = new TreeMap<>();
        Map<String, String> spelledAs = new TreeMap<>();
        all.forEach((key, value) -> {
            if (isStarterKey(key)) {
                return;
            }
            String setting = PREFIX + "." + key.replace('-', '_');
            String earlier = settings.putIfAbsent(setting, value);
            if (earlier != null && !earlier.equals(value)) {
                throw new InvalidConfigurationException(setting, setting + " is set twice, as " + PREFIX + "."
                        + spelledAs.get(setting) + "='" + earlier + "' and as " + PREFIX + "." + key + "='" + value
                        + "'; set it once");
            }
            spelledAs.putIfAbsent(setting, key);
        });
        return SnowpackConfig.fromProperties(settings);
    }

    /** Whether {@code key} (relative to {@code snowpack.}, in any relaxed spelling) is the starter's own. */
    static boolean isStarterKey(String key) {
        // A list (snowpack.roles) binds as roles[0] or roles.0, depending on the property source.
        String plain = squash(key.replaceAll("(\\[\\d+\\]|\\.\\d+)", ""));
        return SnowpackProperties.OWN_KEYS.stream().map(SnowpackSettings::squash).anyMatch(plain::equals);
    }

    private static String squash(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
