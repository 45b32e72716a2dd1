package io.snowpack.examples;

import io.snowpack.core.InvalidConfigurationException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code SNOWPACK_CATALOG_*} environment variables read as Iceberg catalog properties.
 *
 * <p><b>The spelling.</b> Snowpack follows Iceberg's own REST fixture image ({@code CATALOG_*}): after the prefix,
 * the name is lower-cased, {@code __} becomes {@code -} and then {@code _} becomes {@code .}. So
 * {@code SNOWPACK_CATALOG_IO__IMPL} is {@code io-impl}, {@code SNOWPACK_CATALOG_S3_ENDPOINT} is
 * {@code s3.endpoint} and {@code SNOWPACK_CATALOG_S3_PATH__STYLE__ACCESS} is {@code s3.path-style-access}.
 * {@code SNOWPACK_CATALOG_NAME} is the catalog's name and {@code SNOWPACK_CATALOG_NAMING} the spelling; neither is
 * a property.
 *
 * <p><b>The old spelling</b> (before 0.2: {@code __} as {@code .}, {@code _} as {@code -}, so
 * {@code SNOWPACK_CATALOG_IO_IMPL} and {@code SNOWPACK_CATALOG_S3__ENDPOINT}) still works, with a deprecation
 * warning. Which spelling a variable is in is decided like this:
 * <ol>
 * <li>A name with no {@code _} after the prefix ({@code TYPE}, {@code URI}, {@code WAREHOUSE}) reads the same
 * either way.</li>
 * <li>{@code SNOWPACK_CATALOG_NAMING=iceberg} or {@code legacy} picks the spelling of every variable; nothing is
 * guessed ({@code legacy} logs the deprecation warning with each variable's new name).</li>
 * <li>Unset, each name is read both ways, and a reading is <em>recognised</em> when it is a property Iceberg
 * defines (the constants of {@code CatalogProperties}, {@code OAuth2Properties}, {@code RESTCatalogProperties} and,
 * when on the class path, the AWS, GCP and Azure property classes) or lies in a namespace Iceberg uses
 * ({@code s3.}, {@code client.}, {@code jdbc.}, {@code header.}, …). A name whose Iceberg reading alone is
 * recognised is in the new spelling; one whose old reading alone is recognised is in the old spelling; any other
 * is <em>ambiguous</em>.</li>
 * <li>When some names are in the old spelling and none in the new, the environment is taken as written in the old
 * spelling: every name, ambiguous ones included, is read the old way (one deprecation warning lists them all).
 * Otherwise every name is read Iceberg's way, except old-spelling names, which are read the old way with a
 * deprecation warning each.</li>
 * <li>An ambiguous name is never read silently: a warning names the variable, both readings, the one taken and
 * why, and how to settle it ({@code SNOWPACK_CATALOG_NAMING}, or a recognised name).</li>
 * </ol>
 *
 * @param properties the Iceberg catalog properties, by name
 * @param warnings   one sentence per deprecated or ambiguous variable, for the log
 */
record CatalogVariables(Map<String, String> properties, List<String> warnings) {
    static final String PREFIX = "SNOWPACK_CATALOG_";
    static final String NAME = "SNOWPACK_CATALOG_NAME";
    static final String NAMING = "SNOWPACK_CATALOG_NAMING";

    /**
     * Property namespaces Iceberg and its FileIOs use: a reading under one of them is recognised. Not {@code io.},
     * {@code cache.} or {@code lock.}: {@code io-impl}, {@code cache-enabled} and {@code lock-impl} share their first
     * word, and their dotted members are constants anyway.
     */
    private static final List<String> NAMESPACES = List.of("s3.", "client.", "glue.", "dynamodb.", "lakeformation.",
            "gcs.", "adls.", "header.", "rest.", "jdbc.", "hive.", "nessie.", "http-client.",
            "rest-metrics-reporting.", "metrics-reporter.", "table-default.", "table-override.", "view-default.",
            "view-override.", "oauth2.", "sigv4.", "snapshot-loading.", "scan-planning.", "encryption.", "azure.");

    private static final List<String> PROPERTY_CLASSES = List.of("org.apache.iceberg.CatalogProperties",
            "org.apache.iceberg.CatalogUtil", "org.apache.iceberg.rest.auth.OAuth2Properties",
            "org.apache.iceberg.rest.RESTCatalogProperties", "org.apache.iceberg.aws.AwsProperties",
            "org.apache.iceberg.aws.AwsClientProperties", "org.apache.iceberg.aws.s3.S3FileIOProperties",
            "org.apache.iceberg.gcp.GCPProperties", "org.apache.iceberg.azure.AzureProperties");

    private static final Set<String> KNOWN = knownProperties();

    /** Which spelling a name is read in. */
    enum Naming {
        /** {@code __} is {@code -}, {@code _} is {@code .} (Iceberg's REST fixture image). */
        ICEBERG,
        /** Deprecated: {@code __} is {@code .}, {@code _} is {@code -}. */
        LEGACY
    }

    /**
     * Reads the {@code SNOWPACK_CATALOG_*} variables of {@code environment}.
     *
     * @throws InvalidConfigurationException when {@code SNOWPACK_CATALOG_NAMING} is neither {@code iceberg} nor
     *                                       {@code legacy}
     */
    static CatalogVariables read(Map<String, String> environment) {
        Naming forced = forcedNaming(environment.get(NAMING));
        Map<String, String> variables = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && !name.equals(NAME) && !name.equals(NAMING) && value != null
                    && !value.isBlank()) {
                variables.put(name, value.trim());
            }
        });
        List<String> oldOnly = new ArrayList<>();
        List<String> newOnly = new ArrayList<>();
        for (String name : variables.keySet()) {
            String key = key(name);
            if (!key.contains("_")) {
                continue;
            }
            boolean newKnown = recognised(iceberg(key));
            boolean oldKnown = recognised(legacy(key));
            if (newKnown && !oldKnown) {
                newOnly.add(name);
            } else if (oldKnown && !newKnown) {
                oldOnly.add(name);
            }
        }
        boolean legacyEnvironment = forced == Naming.LEGACY
                || forced == null && !oldOnly.isEmpty() && newOnly.isEmpty();

        Map<String, String> properties = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        List<String> renames = new ArrayList<>();
        variables.forEach((name, value) -> {
            String key = key(name);
            if (!key.contains("_")) {
                properties.put(key, value);
                return;
            }
            String asIceberg = iceberg(key);
            String asLegacy = legacy(key);
            boolean ambiguous = forced == null && !oldOnly.contains(name) && !newOnly.contains(name);
            if (legacyEnvironment) {
                properties.put(asLegacy, value);
                renames.add(name + " -> " + newName(asLegacy) + " (" + asLegacy + ")"
                        + (ambiguous ? " [ambiguous: read the old way like the others; Iceberg's reading would be "
                                + asIceberg + "]" : ""));
            } else if (forced == null && oldOnly.contains(name)) {
                properties.put(asLegacy, value);
                warnings.add(name + " is in the deprecated spelling ('__' as '.', '_' as '-') and is read as "
                        + asLegacy + "; rename it " + newName(asLegacy) + " (Iceberg's spelling: '__' is '-', "
                        + "'_' is '.'). Its Iceberg reading, " + asIceberg + ", is not a property Iceberg knows.");
            } else {
                properties.put(asIceberg, value);
                if (ambiguous) {
                    warnings.add("AMBIGUOUS " + name + ": read as " + asIceberg + " (Iceberg's spelling: '__' is "
                            + "'-', '_' is '.'), not as " + asLegacy + " (the deprecated spelling); neither reading is "
                            + "a property Snowpack recognises. If " + asLegacy + " was meant, rename it "
                            + newName(asLegacy) + "; set " + NAMING + "=iceberg to confirm this reading and silence "
                            + "this warning.");
                }
            }
        });
        if (!renames.isEmpty()) {
            warnings.add(0, "The SNOWPACK_CATALOG_* variables are in the deprecated spelling ('__' as '.', '_' as "
                    + "'-')" + (forced == Naming.LEGACY ? " (" + NAMING + "=legacy)" : ", recognised from "
                    + String.join(", ", oldOnly)) + "; they still work but will not in a later release. Rename "
                    + "them to Iceberg's spelling ('__' is '-', '_' is '.') and drop " + NAMING + ": "
                    + String.join("; ", renames));
        }
        return new CatalogVariables(properties, List.copyOf(warnings));
    }

    /** The variable that spells {@code property} in Iceberg's convention. */
    static String newName(String property) {
        return PREFIX + property.replace("-", "__").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Whether Snowpack recognises {@code property} as one Iceberg defines or namespaces. */
    static boolean recognised(String property) {
        if (KNOWN.contains(property)) {
            return true;
        }
        for (String namespace : NAMESPACES) {
            if (property.startsWith(namespace) && property.length() > namespace.length()) {
                return true;
            }
        }
        return false;
    }

    private static Naming forcedNaming(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "iceberg" -> Naming.ICEBERG;
            case "legacy" -> Naming.LEGACY;
            default -> throw new InvalidConfigurationException(NAMING, "Invalid " + NAMING + " '" + raw
                    + "': expected iceberg ('__' is '-', '_' is '.', the default) or legacy (deprecated: '__' is '.', "
                    + "'_' is '-')");
        };
    }

    private static String key(String name) {
        return name.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    }

    private static String iceberg(String key) {
        return key.replace("__", "-").replace('_', '.');
    }

    private static String legacy(String key) {
        return key.replace("__", ".").replace('_', '-');
    }

    /** The string constants of Iceberg's property classes that are on the class path. */
    private static Set<String> knownProperties() {
        Set<String> known = new HashSet<>(List.of("type", "uri", "warehouse", "catalog-impl", "io-impl"));
        for (String className : PROPERTY_CLASSES) {
            try {
                for (Field field : Class.forName(className).getFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)
                            && field.getType() == String.class) {
                        Object value = field.get(null);
                        if (value instanceof String property && property.matches("[a-z0-9][a-z0-9.-]*")) {
                            known.add(property);
                        }
                    }
                }
            } catch (ClassNotFoundException | LinkageError | IllegalAccessException e) {
                // that module is not on the class path: its properties are recognised by namespace only
            }
        }
        return Set.copyOf(known);
    }
}
