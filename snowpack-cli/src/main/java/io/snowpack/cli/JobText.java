package io.snowpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/** How a job (the API's job JSON) reads in table output: a summary line, its fields, one line per action result. */
final class JobText {
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    private JobText() {
    }

    static boolean isTerminal(JsonNode job) {
        return TERMINAL.contains(job.path("status").asText());
    }

    static boolean isCompleted(JsonNode job) {
        return "completed".equals(job.path("status").asText());
    }

    /** {@code job 3f… on offer_service.offers: running (attempt 1)}, with the error when there is one. */
    static String summary(JsonNode job) {
        StringBuilder line = new StringBuilder("job ").append(job.path("job_id").asText()).append(" on ")
                .append(table(job)).append(": ").append(job.path("status").asText());
        if (job.path("dry_run").asBoolean()) {
            line.append(" (dry run)");
        } else if (job.path("attempts").asInt() > 1) {
            line.append(" (attempt ").append(job.path("attempts").asInt()).append(")");
        }
        if (job.hasNonNull("error")) {
            line.append(": ").append(job.get("error").asText());
        }
        return line.toString();
    }

    /** {@code   rewrite_data_files  ok      0.5 s  Compacted 847 files into 52 files}. */
    static String result(JsonNode result) {
        boolean ok = result.path("success").asBoolean();
        String what = ok ? result.path("message").asText("") : result.path("error").asText(result.path("message")
                .asText(""));
        return String.format(Locale.ROOT, "  %-30s %-6s %8.1f s  %s", result.path("action").asText(),
                ok ? "ok" : "FAILED", result.path("elapsed_seconds").asDouble(), what);
    }

    static String table(JsonNode job) {
        return job.path("database").asText() + "." + job.path("table_name").asText();
    }

    /** The job's fields, then its results. */
    static void print(Printer printer, JsonNode job) {
        printer.fields(job, Set.of("results"));
        JsonNode results = job.path("results");
        if (results.isArray() && !results.isEmpty()) {
            printer.line("results:");
            results.forEach(r -> printer.line(result(r)));
        }
    }
}
