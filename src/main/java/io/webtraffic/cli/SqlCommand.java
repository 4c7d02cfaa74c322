package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A Spark SQL batch query against the Iceberg catalog, printed as a table. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description =
        "Run a Spark SQL query against the Iceberg catalog, e.g."
            + " \"SELECT host, sum(hits) FROM lake.web.hits_by_host GROUP BY host\".")
public final class SqlCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query.")
  String query;

  @Option(names = "--limit", defaultValue = "100", description = "Rows to print (default 100).")
  int limit;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    SparkSession spark = SparkSessions.create(config);
    try {
      spark.sql("USE " + config.iceberg().catalogName() + "." + config.iceberg().namespace());
      spark.sql(query).show(limit, false);
      return 0;
    } finally {
      spark.stop();
    }
  }
}
