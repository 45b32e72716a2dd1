package io.snowpack.cli;

/** How a command prints its answer: aligned text for people, or the API's own JSON for {@code jq}. */
public enum OutputFormat {
    /** Aligned columns and {@code label: value} lines. */
    table,
    /** The API's JSON, pretty-printed; a listing followed across pages is one array. */
    json
}
