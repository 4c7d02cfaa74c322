package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.local.SharedStack;
import io.webtraffic.local.StackEndpoints;
import io.webtraffic.testing.CliProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql} without a query: a shell on one Spark session, driven through its standard input as a
 * user's typing would be, in its own process. It reads an Iceberg table it creates and a PostgreSQL
 * table the test fills, joins them, survives a bad statement and stops at {@code \q}. Expected rows
 * are the sums of the rows inserted here.
 */
@ExtendWith(SharedStack.class)
class SqlShellTest {
  static final String SCHEMA = "sql_shell";

  @Test
  void theShellAnswersStatementByStatementAndGoesOnAfterABadOne(@TempDir Path dir)
      throws Exception {
    StackEndpoints stack = SharedStack.endpoints();
    try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      st.execute("CREATE SCHEMA " + SCHEMA);
      st.execute("CREATE TABLE " + SCHEMA + ".visits (host text, hits bigint)");
      st.execute("INSERT INTO " + SCHEMA + ".visits VALUES ('a.example', 10), ('b.example', 20)");
    }
    String input =
        String.join(
            "\n",
            "CREATE NAMESPACE lake.shell;",
            "CREATE TABLE lake.shell.pages (host STRING, hits BIGINT) USING iceberg;",
            "INSERT INTO lake.shell.pages VALUES",
            "  ('a.example', 3), ('b.example', 4), ('a.example', 5);",
            "SELECT host, sum(hits) AS hits FROM lake.shell.pages GROUP BY host ORDER BY host;",
            "SELEC 1;",
            "SELECT p.host, p.hits AS final, v.hits AS current",
            "  FROM (SELECT host, sum(hits) AS hits FROM lake.shell.pages GROUP BY host) p",
            "  JOIN pg." + SCHEMA + ".visits v ON v.host = p.host",
            "  ORDER BY p.host;",
            "SELECT count(*) AS n, max(hits) AS top, CAST(NULL AS STRING) AS nothing"
                + " FROM pg."
                + SCHEMA
                + ".visits;",
            "\\q",
            "SELECT 'not run after quit';",
            "");

    CliProcess r =
        CliProcess.run(
            dir.resolve("shell"),
            input,
            Duration.ofMinutes(3),
            "sql",
            "--set",
            "iceberg.catalog-name=lake",
            "--set",
            "iceberg.warehouse=" + dir.resolve("warehouse"),
            "--set",
            "iceberg.namespace=shell",
            "--set",
            "postgres.url=" + stack.jdbcUrl(),
            "--set",
            "postgres.user=" + stack.jdbcUser(),
            "--set",
            "postgres.schema=" + SCHEMA,
            "--set",
            "spark.shuffle-partitions=2");

    assertEquals(0, r.code(), r.where());
    assertEquals(
        String.join(
            "\n",
            "OK in #",
            "OK in #",
            "OK in #",
            "+---------+----+",
            "|host     |hits|",
            "+---------+----+",
            "|a.example|8   |",
            "|b.example|4   |",
            "+---------+----+",
            "2 rows in #",
            "+---------+-----+-------+",
            "|host     |final|current|",
            "+---------+-----+-------+",
            "|a.example|8    |10     |",
            "|b.example|4    |20     |",
            "+---------+-----+-------+",
            "2 rows in #",
            "+-+---+-------+",
            "|n|top|nothing|",
            "+-+---+-------+",
            "|2|20 |NULL   |",
            "+-+---+-------+",
            "1 row in #",
            ""),
        r.out().replaceAll("in \\d+\\.\\d\\d s", "in #"),
        r.where());
    // Spark's own log lines (WARN) may come in between: only the shell's lines are compared.
    assertEquals(
        List.of(
            "No Iceberg namespace lake.shell yet (the job creates it on its first run); PostgreSQL"
                + " tables: pg.sql_shell.<table>",
            "Error: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)"),
        r.err().lines().filter(l -> l.startsWith("Error:") || l.startsWith("No Iceberg")).toList(),
        r.where());
  }
}
