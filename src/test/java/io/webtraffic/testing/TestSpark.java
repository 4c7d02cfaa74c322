package io.webtraffic.testing;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.job.SparkSessions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * One Spark session for every test of a run (starting Spark costs seconds), built by the job's own
 * {@link SparkSessions} so tests run with the production settings, with the Iceberg catalog {@value
 * #CATALOG} over one warehouse folder. Tests keep apart by namespace, topic, checkpoint and
 * PostgreSQL schema, since a catalog's warehouse is fixed once it has loaded.
 */
public final class TestSpark {
  public static final String CATALOG = "lake";
  public static final Path WAREHOUSE =
      Path.of("target", "it-warehouse-" + UUID.randomUUID()).toAbsolutePath();
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSessions.create(
              ConfigLoader.load(
                  Optional.empty(),
                  Map.of(),
                  Map.of(
                      "job-name",
                      "webtraffic-tests",
                      "iceberg.catalog-name",
                      CATALOG,
                      "iceberg.warehouse",
                      WAREHOUSE.toString(),
                      "spark.shuffle-partitions",
                      "2"),
                  WAREHOUSE.getParent()));
    }
    return session;
  }
}
