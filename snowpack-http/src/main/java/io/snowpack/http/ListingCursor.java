package io.snowpack.http;

import io.snowpack.core.InvalidParameterException;
import io.snowpack.core.InvalidTableNameException;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.Text;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of a table listing: the key of the last table of the previous page, base64url-encoded
 * without padding, so clients pass it back as it is and never build one. Decoding refuses anything that is not
 * such a key with a 422 naming the value.
 */
final class ListingCursor {
    private ListingCursor() {
    }

    static String encode(TableId last) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(last.key().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidParameterException when {@code cursor} was not made by {@link #encode} */
    static TableId decode(String cursor) {
        try {
            return TableId.parse(new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | InvalidTableNameException e) {
            throw new InvalidParameterException("Invalid cursor '" + Text.abbreviate(cursor)
                    + "': expected the cursor of a previous page, passed back unchanged (follow the next link)");
        }
    }
}
