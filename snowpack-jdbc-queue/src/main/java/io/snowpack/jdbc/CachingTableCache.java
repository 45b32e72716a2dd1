package io.snowpack.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.snowpack.core.model.TableHealth;
import io.snowpack.core.model.TableId;
import io.snowpack.core.spi.CacheStatus;
import io.snowpack.core.spi.Clock;
import io.snowpack.core.spi.TableCache;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TableCache} whose small reads used by the API ({@link #get}, {@link #status}) are served from a
 * short-lived, size-bounded Caffeine cache in front of another table cache. Writes go straight through and drop
 * everything cached, so this process always reads its own writes; other processes' writes show within the TTL.
 * Listing pages ({@link #list}, {@link #lastKey}) are never cached: a page holds up to
 * {@link TableQuery#MAX_LIMIT} tables and every cursor makes a new key, so caching them would keep whole listings
 * in the heap for the TTL (the size bound counts entries, not bytes). Reads health sync and the sweeper rely on
 * ({@link #tableIds}, {@link #history}) are never cached either.
 * Bound to a registry, it reports Micrometer's standard cache meters ({@code cache.gets}, {@code cache.size},
 * {@code cache.evictions}...) under {@code cache=snowpack.table_cache}.
 */
public final class CachingTableCache extends ForwardingTableCache implements MeterBinder {
    /** The {@code cache} tag of this cache's meters. */
    public static final String CACHE_NAME = "snowpack.table_cache";
    /** How long a read is served from memory unless told otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);
    /** How many distinct reads are kept unless told otherwise. */
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    private static final Object STATUS_KEY = new Object();

    private final Cache<Object, Object> reads;

    private CachingTableCache(TableCache delegate, Duration ttl, long maximumSize, Clock clock) {
        super(Objects.requireNonNull(delegate, "delegate"));
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be >= 1, got " + maximumSize);
        }
        Ticker ticker = () -> {
            Instant now = clock.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.reads = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).ticker(ticker).recordStats()
                .build();
    }

    /** Caches reads of {@code delegate} for {@code ttl}, at most {@code maximumSize} of them. */
    public static CachingTableCache over(TableCache delegate, Duration ttl, long maximumSize) {
        return over(delegate, ttl, maximumSize, Clock.system());
    }

    /** As {@link #over(TableCache, Duration, long)}, with expiry measured on {@code clock}. */
    public static CachingTableCache over(TableCache delegate, Duration ttl, long maximumSize, Clock clock) {
        return new CachingTableCache(delegate, ttl, maximumSize, Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        new CaffeineCacheMetrics<>(reads, CACHE_NAME, List.of()).bindTo(registry);
    }

    /** Forgets every cached read, for example after a transaction wrote to the table cache. */
    public void invalidateAll() {
        reads.invalidateAll();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<TableHealth> get(TableId table) {
        return (Optional<TableHealth>) reads.get(table, key -> delegate().get(table));
    }

    /** Serves what is cached, and reads every table that is not in one call of the table cache behind. */
    @Override
    @SuppressWarnings("unchecked")
    public Map<TableId, TableHealth> getAll(Collection<TableId> tables) {
        Map<Object, Object> answers = reads.getAll(tables, missing -> {
            List<TableId> ids = missing.stream().map(TableId.class::cast).toList();
            Map<TableId, TableHealth> loaded = delegate().getAll(ids);
            Map<Object, Object> read = new HashMap<>();
            ids.forEach(id -> read.put(id, Optional.ofNullable(loaded.get(id))));
            return read;
        });
        Map<TableId, TableHealth> found = new LinkedHashMap<>();
        for (TableId table : tables) {
            Optional<TableHealth> health = (Optional<TableHealth>) answers.get(table);
            if (health != null && health.isPresent()) {
                found.put(table, health.get());
            }
        }
        return found;
    }

    @Override
    public CacheStatus status() {
        return (CacheStatus) reads.get(STATUS_KEY, key -> delegate().status());
    }

    @Override
    public void upsert(TableHealth health) {
        try {
            super.upsert(health);
        } finally {
            invalidateAll();
        }
    }

    @Override
    public boolean remove(TableId table) {
        try {
            return super.remove(table);
        } finally {
            invalidateAll();
        }
    }

    @Override
    public Instant markSynced() {
        try {
            return super.markSynced();
        } finally {
            invalidateAll();
        }
    }
}
