package io.snowpack.iceberg;

import io.snowpack.core.ActionFailedException;

/**
 * {@code rewrite_data_files} cannot run as the table's properties ask: a {@code zorder} strategy without usable
 * {@code snowpack.zorder_columns}, or {@code sort} on a table without a sort order. Thrown before anything is
 * written. Permanent: every attempt would meet it again until the properties change. The message names the property,
 * its value and what was expected.
 */
public final class RewriteConfigurationException extends ActionFailedException {
    RewriteConfigurationException(String message) {
        super(message, false, null);
    }
}
