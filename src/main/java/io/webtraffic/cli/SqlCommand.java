package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.query.ShellInput;
import io.webtraffic.query.SqlSession;
import io.webtraffic.query.SqlShell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Spark SQL on the job's Iceberg tables and PostgreSQL tables: one query, or, without one, a shell
 * that keeps its Spark session between queries so that each answers in about a second.
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    header = "Query the Iceberg and PostgreSQL tables with Spark SQL (a shell without a query).",
    description =
        "Unqualified names are the Iceberg tables (final rows: closed windows, stored events),"
            + " e.g. \"SELECT host, sum(hits) FROM hits_by_host GROUP BY host\"; pg.<schema>.<table>"
            + " are the PostgreSQL tables (current rows, open windows included), e.g."
            + " pg.web.hits_by_host. Without QUERY: a shell on one Spark session with line editing"
            + " and history; end a statement with ';', \\q quits.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
      ExitCodes.OK,
      "1:the query failed (the shell itself goes on after a failed statement)",
      ExitCodes.MISUSE
    })
public final class SqlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "QUERY",
      description = "The SQL query; without it, an interactive shell.")
  String query;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Rows to print per query (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws IOException {
    PipelineConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    try (SqlSession session = SqlSession.open(config)) {
      if (query != null) {
        SqlSession.Result result = session.query(query, limit);
        out.print(result.table().render());
        if (result.more()) {
          out.printf("only showing top %d rows%n", limit);
        }
        return 0;
      }
      session.warmUp();
      boolean interactive = System.console() != null;
      try (ShellInput input =
          interactive
              ? ShellInput.terminal(history(), session::cancel)
              : ShellInput.of(
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))) {
        if (interactive) {
          out.printf(
              "Spark SQL on %s (Iceberg, final rows; the default) and %s (PostgreSQL, current"
                  + " rows).%nEnd a statement with ';'. \\q quits.%n",
              session.icebergNamespace(), session.postgresNamespace());
          out.flush();
        }
        if (!session.icebergReady()) {
          spec.commandLine()
              .getErr()
              .println(
                  "No Iceberg namespace "
                      + session.icebergNamespace()
                      + " yet (the job creates it on its first run); PostgreSQL tables: "
                      + session.postgresNamespace()
                      + ".<table>");
        }
        new SqlShell(session, input, out, spec.commandLine().getErr(), limit).run();
      }
      return 0;
    }
  }

  /** Kept across sessions, like psql's and spark-sql's. */
  private static Path history() {
    return Path.of(System.getProperty("user.home"), ".webtraffic-sql-history");
  }
}
