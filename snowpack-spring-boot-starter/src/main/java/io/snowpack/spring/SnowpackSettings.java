package io.snowpack.spring;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.config.SnowpackConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Reads Snowpack's settings from the host's environment with Snowpack's own parser
 * ({@link SnowpackConfig#fromProperties}), so names, defaults, validation and messages are Snowpack's:
 * <ul>
 *   <li>{@code snowpack.*} properties (application.yaml, system properties, command line...): every key that is not
 *       one of the starter's own ({@link SnowpackProperties}) must name a Snowpack setting, so a typo fails the
 *       start with the close keys named. Kebab case is accepted ({@code health-sync.interval}).</li>
 *   <li>environment variables: the {@code SNOWPACK_*} names Snowpack documents ({@code SNOWPACK_HEALTH_SYNC_INTERVAL},
 *       {@code SNOWPACK_DRAIN_MODE}); other {@code SNOWPACK_*} variables are left alone, as
 *       {@link SnowpackConfig#fromEnvironment} leaves them.</li>
 * </ul>
 * Sources keep Spring's precedence: for each setting the first source that sets it wins.
 */
final class SnowpackSettings {
    private static final String PREFIX = "snowpack";
    /** A row of {@link SnowpackConfig#describeSettings()}: the key, then its environment variables. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_.]+)` \\| `([A-Z0-9_`, ]+)` \\|",
            Pattern.MULTILINE);
    private static final Map<String, String> KEYS_BY_VARIABLE = keysByVariable();
    private static final Pattern LIST_ELEMENT = Pattern.compile("(.+?)(?:\\[(\\d+)\\]|\\.(\\d+))");

    private SnowpackSettings() {
    }

    static SnowpackConfig config(ConfigurableEnvironment environment) {
        PropertySourcesPlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(environment);
        Map<String, String> chosen = new TreeMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
                    || !(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            Map<String, String> found = isEnvironment(source) ? fromVariables(enumerable)
                    : fromProperties(new Binder(ConfigurationPropertySources.from(source), placeholders));
            found.forEach(chosen::putIfAbsent);
        }
        return SnowpackConfig.fromProperties(chosen);
    }

    private static boolean isEnvironment(PropertySource<?> source) {
        return source instanceof SystemEnvironmentPropertySource
                || StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName());
    }

    /** The documented {@code SNOWPACK_*} variables of one source, by prefixed property key. */
    private static Map<String, String> fromVariables(EnumerablePropertySource<?> source) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String name : source.getPropertyNames()) {
            String key = KEYS_BY_VARIABLE.get(name);
            Object value = source.getProperty(name);
            if (key != null && value != null) {
                String earlier = found.putIfAbsent(PREFIX + "." + key, value.toString());
                if (earlier != null && !earlier.trim().equalsIgnoreCase(value.toString().trim())) {
                    throw new InvalidConfigurationException(key, "Conflicting environment variables for " + key
                            + ": its name and its alias disagree ('" + earlier + "' and '" + value
                            + "'); set only one of them");
                }
            }
        }
        return found;
    }

    /** The {@code snowpack.*} keys of one source that are not the starter's own, by prefixed property key. */
    private static Map<String, String> fromProperties(Binder binder) {
        Map<String, String> all = listsJoined(
                binder.bind(PREFIX, Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        Map<String, String> found = new LinkedHashMap<>();
        Map<String, String> spelledAs = new LinkedHashMap<>();
        all.forEach((key, value) -> {
            if (isStarterKey(key)) {
                return;
            }
            String setting = PREFIX + "." + key.replace('-', '_');
            String earlier = found.putIfAbsent(setting, value);
            if (earlier != null && !earlier.equals(value)) {
                throw new InvalidConfigurationException(setting, setting + " is set twice, as " + PREFIX + "."
                        + spelledAs.get(setting) + "='" + earlier + "' and as " + PREFIX + "." + key + "='" + value
                        + "'; set it once");
            }
            spelledAs.putIfAbsent(setting, key);
        });
        return found;
    }

    /**
     * A YAML list ({@code health_sync.databases: [a, b]}) binds as one entry per element ({@code ...databases[0]} or
     * {@code ...databases.0}); Snowpack reads lists as comma-separated text, so the elements are joined in order.
     */
    private static Map<String, String> listsJoined(Map<String, String> entries) {
        Map<String, TreeMap<Integer, String>> lists = new LinkedHashMap<>();
        Map<String, String> joined = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            Matcher element = LIST_ELEMENT.matcher(key);
            if (element.matches() && !isStarterKey(key)) {
                int index = Integer.parseInt(element.group(2) != null ? element.group(2) : element.group(3));
                lists.computeIfAbsent(element.group(1), k -> new TreeMap<>()).put(index, value);
            } else {
                joined.put(key, value);
            }
        });
        lists.forEach((key, values) -> joined.merge(key, String.join(",", values.values()), (a, b) -> {
            throw new InvalidConfigurationException(key, PREFIX + "." + key + " is set both as a list and as '"
                    + a + "'; set it once");
        }));
        return joined;
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

    /** Every documented variable and the key it sets, from the table Snowpack generates from its own settings. */
    private static Map<String, String> keysByVariable() {
        Map<String, String> keys = new LinkedHashMap<>();
        Matcher row = ROW.matcher(SnowpackConfig.describeSettings());
        while (row.find()) {
            for (String variable : row.group(2).split("`, `")) {
                keys.put(variable, row.group(1));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("Cannot read Snowpack's settings table; its format changed");
        }
        return Map.copyOf(keys);
    }
}
