package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.sink.IcebergTables;
import io.webtraffic.sink.PostgresSink;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What landed where: row counts of every Iceberg and PostgreSQL table and the accounting totals.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    header = "Print what landed where: rows per Iceberg and PostgreSQL table, accounting totals.",
    description =
        "Also the top countries and sites of the stored events, closed sessions per host and the"
            + " latest failed data-quality checks. Starts Spark to count the Iceberg tables (about"
            + " half a minute); for repeated looks, keep a shell open: scripts/pipeline sql.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE})
public final class ReportCommand implements Callable<Integer> {
  private static final List<String> ICEBERG = IcebergTables.ALL;
  private static final List<String> POSTGRES = PostgresSink.TABLES;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws SQLException {
    PipelineConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = SparkSessions.create(config);
    try {
      out.println("Iceberg (" + config.iceberg().warehouse() + "):");
      for (String table : ICEBERG) {
        String name = config.iceberg().table(table);
        String rows =
            spark.catalog().tableExists(name)
                ? String.valueOf(spark.table(name).count())
                : "(no table)";
        out.printf("  %-45s %12s rows%n", name, rows);
      }
      String events = config.iceberg().table(IcebergTables.EVENTS);
      if (spark.catalog().tableExists(events)) {
        out.println("Events per country and site (Iceberg, side inputs), top 8:");
        for (Row r :
            spark
                .sql(
                    "SELECT country, site_name, count(*) AS n FROM "
                        + events
                        + " GROUP BY country, site_name ORDER BY n DESC, country, site_name"
                        + " LIMIT 8")
                .collectAsList()) {
          out.printf("  %-22s %-35s %12d%n", r.getString(0), r.getString(1), r.getLong(2));
        }
      }
      String sessions = config.iceberg().table(IcebergTables.SESSIONS);
      if (spark.catalog().tableExists(sessions)) {
        out.println("Closed sessions per host (Iceberg): sessions, average events per session");
        for (Row r :
            spark
                .sql(
                    "SELECT host, count(*), avg(events) FROM "
                        + sessions
                        + " GROUP BY host ORDER BY host")
                .collectAsList()) {
          out.printf("  %-45s %12d %8.2f%n", r.getString(0), r.getLong(1), r.getDouble(2));
        }
      }
    } finally {
      spark.stop();
    }
    Properties p = new Properties();
    p.setProperty("user", config.postgres().user());
    config.postgres().password().ifPresent(pw -> p.setProperty("password", pw.value()));
    String schema = config.postgres().schema();
    try (Connection c = DriverManager.getConnection(config.postgres().url(), p);
        Statement st = c.createStatement()) {
      out.println("PostgreSQL (" + config.postgres().url() + "):");
      for (String table : POSTGRES) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
          rs.next();
          out.printf("  %-45s %12d rows%n", schema + "." + table, rs.getLong(1));
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*), coalesce(sum(records_read), 0),"
                  + " coalesce(sum(events), 0), coalesce(sum(duplicates), 0), coalesce(sum(filtered), 0),"
                  + " coalesce(sum(late), 0), coalesce(sum(dead_lettered), 0),"
                  + " coalesce(sum(spark_dropped_by_watermark), 0) FROM "
                  + schema
                  + ".pipeline_batches")) {
        rs.next();
        out.printf(
            "Accounting over %d batches: read %d = events %d + duplicates %d"
                + " + filtered %d + late %d + dead-lettered %d"
                + " (Spark dropped %d rows behind the watermark)%n",
            rs.getLong(1),
            rs.getLong(2),
            rs.getLong(3),
            rs.getLong(4),
            rs.getLong(5),
            rs.getLong(6),
            rs.getLong(7),
            rs.getLong(8));
      }
      printFailedChecks(out, st, schema);
    }
    return 0;
  }

  /** The latest failed data-quality checks, newest first: what an operator looks at first. */
  private static void printFailedChecks(PrintWriter out, Statement st, String schema)
      throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT batch_id, check_name, value, threshold, action, detail FROM "
                + schema
                + ".data_quality WHERE NOT passed ORDER BY evaluated_at DESC, batch_id DESC,"
                + " check_name LIMIT 10")) {
      boolean any = false;
      while (rs.next()) {
        if (!any) {
          out.println(
              "Failed data-quality checks (latest 10; all in " + schema + ".data_quality):");
          any = true;
        }
        out.printf(
            "  batch %d  %-20s %10.4g  allowed %-10s  %-6s  %s%n",
            rs.getLong(1),
            rs.getString(2),
            rs.getDouble(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6));
      }
      if (!any) {
        out.println("Data-quality checks: none failed");
      }
    }
  }
}
