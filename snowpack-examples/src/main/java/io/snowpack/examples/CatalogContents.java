package io.snowpack.examples;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;

/**
 * Whether a connected catalog holds what health sync is configured to read: a catalog that lists no namespace at all
 * while {@code SNOWPACK_HEALTH_SYNC_DATABASES} names some (most often a wrong {@code SNOWPACK_CATALOG_NAME}: REST and
 * JDBC catalogs are scoped by name, and a wrong one looks exactly like an empty catalog), or that lacks some of
 * them, would otherwise show only as health sync's "0 tables", with {@code /readyz} green.
 */
public final class CatalogContents {
    /** Namespaces named in a finding at most. */
    private static final int LISTED = 10;

    private CatalogContents() {
    }

    /** What a check found. */
    public enum State {
        /** Every configured database is a namespace of the catalog (or none is configured). */
        OK,
        /** Configured databases are missing from the catalog. */
        MISCONFIGURED,
        /** The catalog could not be asked (it cannot list namespaces, or listing failed). */
        UNCHECKED
    }

    /**
     * @param state what was found
     * @param text  one sentence for {@code /readyz} and the log
     */
    public record Finding(State state, String text) {
        public Finding {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(text, "text");
        }
    }

    /** The check of the apps: the catalog against {@code SNOWPACK_HEALTH_SYNC_DATABASES}. */
    public static Function<Catalog, Finding> of(AppEnvironment environment) {
        return catalog -> check(catalog, environment.catalogName(), environment.config().healthSyncDatabases());
    }

    /** Checks that every one of {@code databases} is a top-level namespace of {@code catalog}, named {@code name}. */
    public static Finding check(Catalog catalog, String name, Collection<String> databases) {
        if (!(catalog instanceof SupportsNamespaces namespaces)) {
            return new Finding(State.UNCHECKED, "the catalog cannot list namespaces; health sync's databases not "
                    + "checked");
        }
        List<String> present;
        try {
            present = namespaces.listNamespaces().stream().filter(ns -> ns.length() == 1).map(ns -> ns.level(0))
                    .sorted().toList();
        } catch (RuntimeException e) {
            return new Finding(State.UNCHECKED, "listing the catalog's namespaces failed, health sync's databases "
                    + "not checked: " + e);
        }
        if (databases.isEmpty()) {
            return new Finding(State.OK, present.size() + " namespaces; health sync reads none "
                    + "(SNOWPACK_HEALTH_SYNC_DATABASES is empty)");
        }
        if (present.isEmpty()) {
            return new Finding(State.MISCONFIGURED, "catalog '" + name + "' lists 0 namespaces, but "
                    + "SNOWPACK_HEALTH_SYNC_DATABASES names " + String.join(", ", databases) + ", so health sync "
                    + "finds no table. Is SNOWPACK_CATALOG_NAME='" + name + "' right? REST and JDBC catalogs are "
                    + "scoped by name, and a wrong name looks exactly like an empty catalog; else check "
                    + "SNOWPACK_CATALOG_URI and SNOWPACK_CATALOG_WAREHOUSE");
        }
        List<String> missing = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        for (String database : databases) {
            if (!present.contains(database)) {
                missing.add(database);
                present.stream().filter(p -> p.toLowerCase(Locale.ROOT).equals(database.toLowerCase(Locale.ROOT)))
                        .findFirst().ifPresent(p -> hints.add("'" + p + "' differs from '" + database
                                + "' only in case"));
            }
        }
        if (missing.isEmpty()) {
            return new Finding(State.OK, "health sync's databases (" + String.join(", ", databases)
                    + ") are all namespaces of catalog '" + name + "'");
        }
        return new Finding(State.MISCONFIGURED, "catalog '" + name + "' has no namespace " + String.join(", ", missing)
                + " of SNOWPACK_HEALTH_SYNC_DATABASES, so health sync caches no table of "
                + (missing.size() == 1 ? "it" : "them") + "; it lists " + present.size() + ": "
                + String.join(", ", present.subList(0, Math.min(LISTED, present.size())))
                + (present.size() > LISTED ? ", …" : "") + (hints.isEmpty() ? "" : " (" + String.join("; ", hints)
                + ")"));
    }
}
