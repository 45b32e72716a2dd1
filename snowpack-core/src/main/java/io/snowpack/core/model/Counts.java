package io.snowpack.core.model;

/** Counts as messages print them: "1 file", "0 files", "240 files". */
public final class Counts {
    private Counts() {
    }

    /**
     * {@code count} and {@code noun}, the noun in the plural unless the count is exactly one. {@code noun} is a
     * singular English noun or noun phrase whose plural takes an "s" ("file", "small file", "snapshot").
     */
    public static String of(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
