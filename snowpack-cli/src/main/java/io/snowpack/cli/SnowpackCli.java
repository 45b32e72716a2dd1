package io.snowpack.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code snowpack} command: the REST API from a shell. Subcommands {@code tables}, {@code health},
 * {@code plan}, {@code submit}, {@code jobs}, {@code job}, {@code cancel}, {@code runs}, {@code drain} and
 * {@code cache-status}; the API's URL from {@code --url} or {@code SNOWPACK_URL} (default
 * {@value #DEFAULT_URL}), the bearer token from {@code SNOWPACK_API_TOKEN}; {@code --output json} prints the API's
 * own JSON. Every failure is one line on standard error and an exit code from {@link ExitCodes}; never a stack
 * trace.
 */
@Command(name = "snowpack", mixinStandardHelpOptions = true, version = "snowpack CLI",
        description = "Operate Snowpack through its REST API.",
        subcommands = {TablesCommand.class, HealthCommand.class, PlanCommand.class, SubmitCommand.class,
                JobsCommand.class, JobCommand.class, CancelCommand.class, RunsCommand.class, DrainCommand.class,
                CacheStatusCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  SNOWPACK_URL        the API's URL without --url (default " + SnowpackCli.DEFAULT_URL + ")",
                "  SNOWPACK_API_TOKEN  the bearer token, when the API has one",
                "%nExit codes:", "  0 ok          1 job failed or cancelled (--wait, --watch)",
                "  2 usage or invalid request   3 not found   4 conflict",
                "  5 server error   6 API unreachable   7 unauthorized"})
public final class SnowpackCli {
    /** Where the API is looked for when neither {@code --url} nor {@code SNOWPACK_URL} says. */
    public static final String DEFAULT_URL = "http://localhost:8080";
    /** The variable holding the API's URL. */
    public static final String URL_VARIABLE = "SNOWPACK_URL";
    /** The variable holding the API's bearer token. */
    public static final String TOKEN_VARIABLE = "SNOWPACK_API_TOKEN";

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "<url>",
            description = "The Snowpack API, e.g. http://snowpack-api:8080 (default: $SNOWPACK_URL, else "
                    + DEFAULT_URL + ").")
    String url;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "table|json", defaultValue = "table",
            description = "table (aligned text) or json (the API's JSON, for jq). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    private final Map<String, String> env;
    private PrintWriter out;
    private PrintWriter err;

    private SnowpackCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line against the process's standard streams and environment; returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.out, System.err, System.getenv());
    }

    /**
     * Runs the command line, printing to {@code out} and {@code err}, with {@code env} as the environment.
     *
     * @return the exit code ({@link ExitCodes})
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        SnowpackCli cli = new SnowpackCli(Objects.requireNonNull(env, "env"));
        cli.out = new PrintWriter(out, true, StandardCharsets.UTF_8);
        cli.err = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine commandLine = new CommandLine(cli)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(cli.out)
                .setErr(cli.err)
                .setExecutionExceptionHandler(new ErrorHandler())
                .setParameterExceptionHandler(new ErrorHandler());
        int code = commandLine.execute(args);
        cli.out.flush();
        cli.err.flush();
        return code;
    }

    /** A client for the API at {@code --url}, else {@code SNOWPACK_URL}, else {@link #DEFAULT_URL}. */
    ApiClient client() {
        String given = url != null ? url : env.getOrDefault(URL_VARIABLE, DEFAULT_URL);
        String source = url != null ? "--url" : env.containsKey(URL_VARIABLE) ? URL_VARIABLE : "the default URL";
        return new ApiClient(baseUri(given.strip(), source), Optional.ofNullable(env.get(TOKEN_VARIABLE)));
    }

    Printer printer() {
        return new Printer(out, err, output);
    }

    /** {@code value} as an http(s) URL without query or fragment; a usage error (exit 2) otherwise. */
    static URI baseUri(String value, String source) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(value, "not an http(s) URL without query");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CliException(ExitCodes.USAGE, "Invalid API URL '" + value + "' from " + source
                    + ": expected http(s)://host[:port][/path], e.g. " + DEFAULT_URL);
        }
    }
}
