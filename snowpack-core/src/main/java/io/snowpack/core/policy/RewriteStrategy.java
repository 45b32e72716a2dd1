package io.snowpack.core.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * How {@code rewrite_data_files} orders the rows of each group it rewrites ({@code snowpack.rewrite_strategy}). The
 * planning is the same for every strategy (Iceberg's size-based bin-pack planner picks the groups); only the order
 * of the rows written differs.
 */
public enum RewriteStrategy {
    /** Unset: {@link #SORT} when the table has a sort order, else {@link #BINPACK}. */
    TABLE_DEFAULT("table default"),
    /** Rows are written in the order they are read; output files claim no sort order. */
    BINPACK("binpack"),
    /** Rows are written in the table's sort order; output files claim it. */
    SORT("sort"),
    /** Rows are written by the z-value of {@code snowpack.zorder_columns}; output files claim no sort order. */
    ZORDER("zorder");

    private final String wireName;

    RewriteStrategy(String wireName) {
        this.wireName = wireName;
    }

    /** The property value that selects this strategy ({@code binpack}, {@code sort}, {@code zorder}). */
    public String wireName() {
        return wireName;
    }

    /** The strategy that runs on a table that has ({@code sorted}) or has no sort order. */
    public RewriteStrategy forTable(boolean sorted) {
        if (this != TABLE_DEFAULT) {
            return this;
        }
        return sorted ? SORT : BINPACK;
    }

    /** The strategy {@code value} names, in any case and with blanks around it; empty for anything else. */
    static Optional<RewriteStrategy> parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        for (RewriteStrategy strategy : values()) {
            if (strategy != TABLE_DEFAULT && strategy.wireName.equals(text)) {
                return Optional.of(strategy);
            }
        }
        return Optional.empty();
    }
}
