package io.webtraffic.query;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.SparkSessions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * One Spark session for any number of queries: the job's Iceberg catalog as the current namespace
 * (final rows: closed windows, stored events), and the job's PostgreSQL schema as the catalog
 * {@value #POSTGRES_CATALOG} (current rows, open windows included), read through Spark's JDBC
 * catalog as the job's own role.
 */
public final class SqlSession implements AutoCloseable {
  /** The catalog name of the PostgreSQL tables: {@code pg.web.hits_by_host}. */
  public static final String POSTGRES_CATALOG = "pg";

  private final SparkSession spark;
  private final String icebergNamespace;
  private final String postgresNamespace;

  private SqlSession(SparkSession spark, String icebergNamespace, String postgresNamespace) {
    this.spark = spark;
    this.icebergNamespace = icebergNamespace;
    this.postgresNamespace = postgresNamespace;
  }

  public static SqlSession open(PipelineConfig config) {
    SparkSession spark = SparkSessions.create(config);
    try {
      String prefix = "spark.sql.catalog." + POSTGRES_CATALOG;
      spark
          .conf()
          .set(prefix, "org.apache.spark.sql.execution.datasources.v2.jdbc.JDBCTableCatalog");
      spark.conf().set(prefix + ".url", config.postgres().url());
      spark.conf().set(prefix + ".driver", "org.postgresql.Driver");
      spark.conf().set(prefix + ".user", config.postgres().user());
      config
          .postgres()
          .password()
          .ifPresent(p -> spark.conf().set(prefix + ".password", p.value()));
      String iceberg = config.iceberg().catalogName() + "." + config.iceberg().namespace();
      // Before the job's first run there is no namespace to use; PostgreSQL is there already.
      if (spark.catalog().databaseExists(iceberg)) {
        spark.sql("USE " + iceberg);
      }
      return new SqlSession(spark, iceberg, POSTGRES_CATALOG + "." + config.postgres().schema());
    } catch (RuntimeException e) {
      spark.stop();
      throw e;
    }
  }

  /**
   * Pays for what the first statement of a session costs (loading the catalogs, the scan and
   * Parquet reader classes, compiling code) before the shell's first prompt, so that its queries
   * answer in about a second.
   */
  public void warmUp() {
    List<Row> tables = icebergReady() ? spark.sql("SHOW TABLES").collectAsList() : List.of();
    if (!tables.isEmpty()) {
      spark.sql("SELECT * FROM " + tables.get(0).getString(1) + " LIMIT 1").collectAsList();
    }
    spark.sql("SHOW TABLES IN " + postgresNamespace).collectAsList();
    spark.sql("SELECT CAST(count(*) AS STRING) FROM range(10)").collectAsList();
  }

  /** Where unqualified table names resolve: the Iceberg tables, e.g. {@code lake.web}. */
  public String icebergNamespace() {
    return icebergNamespace;
  }

  /** Whether the Iceberg namespace exists (the job creates it on its first run). */
  public boolean icebergReady() {
    return spark.catalog().databaseExists(icebergNamespace);
  }

  /** The PostgreSQL tables' prefix, e.g. {@code pg.web}. */
  public String postgresNamespace() {
    return postgresNamespace;
  }

  /**
   * Runs one statement and returns at most {@code limit} rows of its result, every value rendered
   * as Spark renders it (timestamps in the session's time zone, UTC).
   *
   * @return the rows, and whether there were more than {@code limit}
   */
  public Result query(String sql, int limit) {
    Dataset<Row> result = spark.sql(sql);
    String[] names = result.columns();
    // Positional names first: a result may carry the same column name twice.
    String[] positional = new String[names.length];
    Column[] asText = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      positional[i] = "c" + i;
      asText[i] = functions.col(positional[i]).cast("string");
    }
    List<Row> collected = result.toDF(positional).select(asText).limit(limit + 1).collectAsList();
    List<List<String>> rows = new ArrayList<>();
    for (Row row : collected.subList(0, Math.min(limit, collected.size()))) {
      List<String> values = new ArrayList<>(names.length);
      for (int i = 0; i < names.length; i++) {
        values.add(row.isNullAt(i) ? null : row.getString(i));
      }
      rows.add(values);
    }
    return new Result(new TextTable(Arrays.asList(names), rows), collected.size() > limit);
  }

  /** A statement's first rows; {@code more} when the statement returned more than were kept. */
  public record Result(TextTable table, boolean more) {}

  /** Cancels the running statement (from another thread); its caller gets an error. */
  public void cancel() {
    spark.sparkContext().cancelAllJobs();
  }

  @Override
  public void close() {
    spark.stop();
  }
}
