package io.snowpack.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.model.TableQuery;
import io.snowpack.core.spi.TableCache;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /tables}: one page of cached tables, a JSON array (the shape the endpoint always had) streamed as the
 * rows are read, {@value #CHUNK} at a time by key, so a page of {@link TableQuery#MAX_LIMIT} tables costs the heap
 * one chunk, not the page. Where the page ends is read first (keys only), so the headers can say whether more
 * follow: {@code Snowpack-Has-More}, and on every page but the last {@code Link: <next>; rel="next"} and
 * {@code Snowpack-Next}, the relative URL of the next page with the same filters and limit and an opaque
 * {@code cursor}. At most {@link ListingLimiter#slots()} listings run at once; one more is refused with 429 and
 * {@code Retry-After}, before anything is read.
 */
final class TableListing {
    private static final Logger LOG = LoggerFactory.getLogger(TableListing.class);
    /** Tables read per round trip while a page streams. */
    static final int CHUNK = 200;
    /** Seconds a refused listing is told to wait. */
    static final int RETRY_AFTER_SECONDS = 1;
    static final String HAS_MORE = "Snowpack-Has-More";
    static final String NEXT = "Snowpack-Next";

    private final Supplier<TableCache> tables;
    private final ListingLimiter limiter;
    private final ObjectMapper json;
    private final ObjectWriter rowWriter;

    TableListing(Supplier<TableCache> tables, ListingLimiter limiter, ObjectMapper json) {
        this.tables = tables;
        this.limiter = limiter;
        this.json = json;
        this.rowWriter = json.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    ApiResponse answer(Call call) {
        TableQuery query = new TableQuery(call.param("database"), call.booleanParam("maintenance_enabled"),
                call.param("cursor").map(ListingCursor::decode), call.intParam("offset", 0),
                call.intParam("limit", TableQuery.DEFAULT_LIMIT));
        ListingLimiter.Slot slot = limiter.tryAcquire().orElseThrow(() -> new HttpError(429, "too_many_listings",
                limiter.slots() + " table listings are already being served by this process (api.max_concurrent_"
                        + "listings); retry in " + RETRY_AFTER_SECONDS + " s",
                Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))));
        try {
            TableCache cache = tables.get();
            Optional<TableId> end = cache.lastKey(query);
            boolean more = end.isPresent() && cache.lastKey(query.after(end.get()).withLimit(1)).isPresent();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", ApiResponse.JSON);
            headers.put(HAS_MORE, Boolean.toString(more));
            if (more) {
                String next = nextUrl(query, end.get());
                headers.put("Link", "<" + next + ">; rel=\"next\"");
                headers.put(NEXT, next);
            }
            return ApiResponse.streamed(200, headers, out -> write(out, cache, query, end), slot::release);
        } catch (RuntimeException | Error e) {
            slot.release();
            throw e;
        }
    }

    static String nextUrl(TableQuery query, TableId last) {
        StringBuilder next = new StringBuilder("/tables?");
        query.database().ifPresent(db -> next.append("database=").append(db).append('&'));
        query.maintenanceEnabled().ifPresent(flag -> next.append("maintenance_enabled=").append(flag).append('&'));
        return next.append("limit=").append(query.limit()).append("&cursor=").append(ListingCursor.encode(last))
                .toString();
    }

    /**
     * Writes the page: the tables after the query's start up to {@code end} (inclusive) when the page is full, else
     * up to {@code limit} of them. On a failure the array is left open, so no client mistakes a cut-off page for a
     * whole one.
     */
    private void write(OutputStream out, TableCache cache, TableQuery query, Optional<TableId> end) throws IOException {
        int written = 0;
        try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            generator.writeStartArray();
            TableQuery chunk = query.withLimit(Math.min(CHUNK, query.limit()));
            boolean done = false;
            while (!done) {
                List<TableHealth> rows = cache.list(chunk);
                for (TableHealth row : rows) {
                    if (end.map(last -> TableId.KEY_ORDER.compare(row.table(), last) > 0)
                            .orElse(written >= query.limit())) {
                        done = true;
                        break;
                    }
                    rowWriter.writeValue(generator, Views.health(row));
                    written++;
                    if (end.isPresent() && row.table().equals(end.get())) {
                        done = true;
                        break;
                    }
                }
                if (!done && rows.size() < chunk.limit()) {
                    done = true;
                } else if (!done) {
                    chunk = query.after(rows.get(rows.size() - 1).table()).withLimit(CHUNK);
                }
            }
            generator.writeEndArray();
        } catch (IOException | RuntimeException | Error e) {
            LOG.warn("Listing tables stopped after {} tables were sent; the client gets a cut-off array: {}",
                    written, e.toString());
            throw e;
        }
    }
}
