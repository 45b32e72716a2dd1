package io.snowpack.jdbc;

import io.snowpack.core.spi.Clock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.statement.Update;

/**
 * Renders statement templates for one schema and dialect, and supplies backend time. In a template,
 * {@code ${s}} is the schema and {@code ${now}} the database's transaction time ({@code CURRENT_TIMESTAMP}),
 * or, when a clock was configured (tests, simulations), that clock's time bound as {@code :now}.
 */
final class Sql {
    private final String schema;
    private final Dialect dialect;
    private final Clock clock;
    private final String now;
    /** Rendered statements by template: rendering is string work that would otherwise run on every call. */
    private final Map<String, String> rendered = new ConcurrentHashMap<>();

    Sql(String schema, Dialect dialect, Clock clock) {
        this.schema = schema;
        this.dialect = dialect;
        this.clock = clock;
        this.now = clock == null ? "CURRENT_TIMESTAMP" : "CAST(:now AS TIMESTAMP WITH TIME ZONE)";
    }

    Dialect dialect() {
        return dialect;
    }

    /** The template with schema, time and dialect fragments filled in. */
    String render(String template) {
        return rendered.computeIfAbsent(template, this::renderOnce);
    }

    private String renderOnce(String template) {
        return template
                .replace("${nextQueueFence}", dialect.nextValue(schema + ".job_queue_fence_seq"))
                .replace("${nextLockFence}", dialect.nextValue(schema + ".table_locks_fence_seq"))
                .replace("${nextLeaderFence}", dialect.nextValue(schema + ".scheduler_leader_fence_seq"))
                .replace("${nowPlusDelay}", dialect.plusMicros(now, ":delay_micros"))
                .replace("${nowMinusAge}", dialect.plusMicros(now, ":minus_age_micros"))
                .replace("${now}", now)
                .replace("${s}", schema);
    }

    Query query(Handle handle, String template) {
        return bindNow(handle.createQuery(render(template)));
    }

    Update update(Handle handle, String template) {
        return bindNow(handle.createUpdate(render(template)));
    }

    private <S extends SqlStatement<S>> S bindNow(S statement) {
        if (clock != null) {
            statement.bind("now", toOffset(clock.now()));
        }
        return statement;
    }

    /** The configured clock's time; only called for statements that have a {@code :now} parameter. */
    Instant clockNow() {
        if (clock == null) {
            throw new IllegalStateException("no clock configured: statements use the database's time");
        }
        return clock.now();
    }

    /** Backend time read in Java: the clock when configured, else the database's. */
    Instant now(Handle handle) {
        if (clock != null) {
            return clock.now().truncatedTo(ChronoUnit.MICROS);
        }
        return handle.createQuery("SELECT CURRENT_TIMESTAMP").map((rs, ctx) -> instant(rs, 1)).one();
    }

    /**
     * Runs an insert that may lose a race to a concurrent insert of the same key (H2 has no
     * {@code ON CONFLICT}); losing is answered {@code false}, not an exception.
     */
    static boolean insertUnlessDuplicate(Update insert) {
        try {
            return insert.execute() == 1;
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sqlError && "23505".equals(sqlError.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    static long micros(Duration duration) {
        return duration.toNanos() / 1_000;
    }

    static OffsetDateTime toOffset(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
