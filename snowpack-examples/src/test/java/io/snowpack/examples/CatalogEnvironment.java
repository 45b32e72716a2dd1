package io.snowpack.examples;

import java.util.HashMap;
import java.util.Map;

/** Iceberg catalog properties as the {@code SNOWPACK_CATALOG_*} variables the apps read, for tests of the apps. */
public final class CatalogEnvironment {
    private CatalogEnvironment() {
    }

    /** {@code properties} (e.g. {@code s3.path-style-access}) under their variable names, in Iceberg's spelling. */
    public static Map<String, String> of(Map<String, String> properties) {
        Map<String, String> variables = new HashMap<>();
        properties.forEach((property, value) -> variables.put(CatalogVariables.newName(property), value));
        return variables;
    }
}
