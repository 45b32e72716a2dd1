package io.snowpack.core.config;

import io.snowpack.core.InvalidConfigurationException;
import io.snowpack.core.model.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a {@link SnowpackConfig} from environment variables or properties, over the defaults, through the
 * {@link Setting} table. Text that sets a key twice with different values is an error, never a silent choice.
 */
final class ConfigSources {
    static final String PROPERTY_PREFIX = "snowpack.";
    private static final int MAX_TYPO_DISTANCE = 3;

    private ConfigSources() {
    }

    /**
     * Known {@code SNOWPACK_*} variables only; every other variable is left to the host application. A setting's
     * name and alias may both be set if they agree (ignoring case and surrounding blanks). Errors name the
     * variables, not the property keys: the variable the operator set, else the one that would set the key.
     */
    static SnowpackConfig fromEnvironment(Map<String, String> environment) {
        Map<Setting, String> chosen = chooseVariables(environment);
        SnowpackConfig.Builder builder = SnowpackConfig.builder();
        try {
            chosen.forEach((setting, name) -> setting.bind(builder, environment.get(name)));
            return builder.build();
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigurationException(e.key(), inVariableTerms(e.getMessage(), chosen));
        }
    }

    /** The variable that sets each setting present in {@code environment}; conflicting spellings are an error. */
    private static Map<Setting, String> chooseVariables(Map<String, String> environment) {
        Map<Setting, String> chosen = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String chosenName = null;
            String chosenValue = null;
            for (String name : setting.environmentNames()) {
                String value = environment.get(name);
                if (value == null) {
                    continue;
                }
                if (chosenValue != null && !chosenValue.trim().equalsIgnoreCase(value.trim())) {
                    throw new InvalidConfigurationException(setting.key(), "Conflicting values for " + setting.key()
                            + ": " + chosenName + "='" + Text.abbreviate(chosenValue) + "' but " + name + "='"
                            + Text.abbreviate(value) + "'; set only one of them");
                }
                chosenName = name;
                chosenValue = value;
            }
            if (chosenName != null) {
                chosen.put(setting, chosenName);
            }
        }
        return chosen;
    }

    /** {@code message} with every property key replaced by its variable, longest keys first. */
    static String inVariableTerms(String message, Map<Setting, String> chosen) {
        String result = message;
        List<Setting> longestFirst = new ArrayList<>(List.of(Setting.values()));
        longestFirst.sort(Comparator.comparingInt((Setting s) -> s.key().length()).reversed());
        for (Setting setting : longestFirst) {
            String variable = chosen.getOrDefault(setting, setting.environmentNames().get(0));
            result = Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(setting.key()) + "(?![A-Za-z0-9_])")
                    .matcher(result).replaceAll(Matcher.quoteReplacement(variable));
        }
        return result;
    }

    /** Every key must name a setting (bare or prefixed {@code snowpack.}); handled in key order. */
    static SnowpackConfig fromProperties(Map<String, String> properties) {
        SnowpackConfig.Builder builder = SnowpackConfig.builder();
        Map<Setting, String> seen = new EnumMap<>(Setting.class);
        List<Map.Entry<String, String>> entries = new ArrayList<>(properties.entrySet());
        entries.sort(Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder())));
        for (Map.Entry<String, String> entry : entries) {
            String rawKey = String.valueOf(entry.getKey());
            String key = rawKey.startsWith(PROPERTY_PREFIX) ? rawKey.substring(PROPERTY_PREFIX.length()) : rawKey;
            Setting setting = Setting.byKey(key).orElseThrow(() -> unknownKey(rawKey));
            if (entry.getValue() == null) {
                throw new InvalidConfigurationException(setting.key(), "Missing value for " + rawKey);
            }
            String earlier = seen.put(setting, entry.getValue());
            if (earlier != null) {
                throw new InvalidConfigurationException(setting.key(), setting.key() + " is set twice, as '"
                        + Text.abbreviate(earlier) + "' and as '" + Text.abbreviate(entry.getValue())
                        + "' (with and without the '" + PROPERTY_PREFIX + "' prefix); set it once");
            }
            setting.bind(builder, entry.getValue());
        }
        return builder.build();
    }

    static InvalidConfigurationException unknownKey(String rawKey) {
        List<String> close = closeKeys(rawKey);
        String hint = close.isEmpty()
                ? "known keys are: " + Stream.of(Setting.values()).map(Setting::key).collect(Collectors.joining(", "))
                : "did you mean " + close.stream().map(k -> "'" + k + "'").collect(Collectors.joining(" or ")) + "?";
        return new InvalidConfigurationException(rawKey,
                "Unknown configuration key '" + Text.abbreviate(rawKey) + "'; " + hint);
    }

    /** Keys a typo, an environment-style spelling or a missing section could have meant. */
    static List<String> closeKeys(String rawKey) {
        String wanted = rawKey.toLowerCase(Locale.ROOT).replace('-', '_');
        if (wanted.startsWith(PROPERTY_PREFIX)) {
            wanted = wanted.substring(PROPERTY_PREFIX.length());
        }
        List<String> close = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            String key = setting.key();
            boolean environmentStyle = setting.environmentNames().stream().anyMatch(rawKey::equalsIgnoreCase);
            boolean sectionMissing = key.endsWith("." + wanted);
            if (environmentStyle || sectionMissing || distance(wanted, key) <= MAX_TYPO_DISTANCE) {
                close.add(key);
            }
        }
        return close;
    }

    /** Levenshtein distance: single-character insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
