package io.webtraffic.bench;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.batch.Watermarks;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.sink.CsvRows;
import io.webtraffic.sink.PostgresSink;
import io.webtraffic.sink.WindowRows;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's PostgreSQL event upsert (one committed batch through {@link PostgresSink#commit}: COPY
 * into a staging table, INSERT … ON CONFLICT, accounting and ledger rows) against a bare COPY of
 * the same rows, rendered the same way, into a table of the same shape and primary key.
 */
final class UpsertBench {
  static final String SECTION = "PostgreSQL upsert of clean events (rows/s)";
  static final String COPY = "COPY into the table (bound)";
  static final String UPSERT_NEW = "job upsert, new rows";
  static final String UPSERT_EXISTING = "job upsert, every row already present";
  private static final Logger LOG = LoggerFactory.getLogger(UpsertBench.class);

  static final StructType SCHEMA =
      new StructType()
          .add("dedup_key", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("url", DataTypes.StringType)
          .add("referrer", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("ip", DataTypes.StringType)
          .add("ua_family", DataTypes.StringType)
          .add("device_family", DataTypes.StringType)
          .add("os_family", DataTypes.StringType)
          .add("user_id", DataTypes.LongType)
          .add("academy_id", DataTypes.LongType)
          .add("kafka_partition", DataTypes.IntegerType)
          .add("kafka_offset", DataTypes.LongType)
          .add("country", DataTypes.StringType)
          .add("state", DataTypes.StringType)
          .add("city", DataTypes.StringType)
          .add("site_name", DataTypes.StringType)
          .add("owner", DataTypes.StringType)
          .add("environment", DataTypes.StringType);

  /** The side-input columns, which processed_events holds after batch_id. */
  private static final int ENRICHED = 6;

  private final BenchJobs jobs;
  private final BenchSettings settings;

  UpsertBench(BenchJobs jobs, BenchSettings settings) {
    this.jobs = jobs;
    this.settings = settings;
  }

  void run(ResultTable table) throws Exception {
    List<Row> rows = rows(settings.upsertRows());
    List<Double> copy = new ArrayList<>();
    List<Double> fresh = new ArrayList<>();
    List<Double> existing = new ArrayList<>();
    for (int run = 1; run <= settings.runs(); run++) {
      PipelineConfig config = jobs.config("bench_pg_" + run, "unused", Map.of());
      PostgresSink sink = new PostgresSink(config.postgres(), config.jobName());
      sink.createTablesIfMissing();
      String schema = config.postgres().schema();
      try (Connection c = connect(config)) {
        try (Statement st = c.createStatement()) {
          st.execute(
              "CREATE TABLE "
                  + schema
                  + ".copy_bound (LIKE "
                  + schema
                  + ".processed_events INCLUDING ALL)");
        }
        long started = System.nanoTime();
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY " + schema + ".copy_bound FROM STDIN (FORMAT csv)",
                CsvRows.reader(rows.iterator(), r -> CsvRows.line(values(r, 1L))));
        copy.add(perSecond(rows.size(), started));
      }
      fresh.add(upsert(sink, rows, 1));
      existing.add(upsert(sink, rows, 2));
      LOG.info(
          "PostgreSQL run {}: COPY {} rows/s, upsert new {} rows/s, upsert existing {} rows/s",
          run,
          Math.round(copy.get(run - 1)),
          Math.round(fresh.get(run - 1)),
          Math.round(existing.get(run - 1)));
    }
    table.add(new Measurement(SECTION, COPY, "rows/s", copy));
    table.add(new Measurement(SECTION, UPSERT_NEW, "rows/s", fresh));
    table.add(new Measurement(SECTION, UPSERT_EXISTING, "rows/s", existing));
    table.ratio("PostgreSQL upsert (new rows) ÷ COPY", UPSERT_NEW, COPY, 0.50);
    table.ratio("PostgreSQL upsert (existing rows) ÷ COPY", UPSERT_EXISTING, COPY, null);
  }

  private static double upsert(PostgresSink sink, List<Row> rows, long batchId) {
    long n = rows.size();
    BatchCounts counts = new BatchCounts(n, n, 0, 0, 0, 0, Map.of(), Map.of(), 0);
    long started = System.nanoTime();
    boolean committed =
        sink.commit(
                "bench-upsert",
                batchId,
                counts,
                new Watermarks(0, 0),
                "bench",
                new PostgresSink.BatchRows(
                    List.of(),
                    List.of(),
                    List.of(),
                    new WindowRows(List.of(), new StructType(), List.of(), new StructType()),
                    rows::iterator,
                    List.of(),
                    KafkaTimes.NONE))
            .committed();
    if (!committed) {
      throw new IllegalStateException("Upsert batch " + batchId + " was skipped by the ledger");
    }
    return perSecond(n, started);
  }

  private static double perSecond(long rows, long startedNanos) {
    return rows * 1e9 / (System.nanoTime() - startedNanos);
  }

  /** The columns of processed_events in its order, as the job's upsert renders them. */
  private static Object[] values(Row r, long batchId) {
    int plain = r.size() - ENRICHED;
    Object[] v = new Object[r.size() + 1];
    for (int i = 0; i < plain; i++) {
      v[i] = r.get(i);
    }
    v[plain] = batchId;
    for (int i = plain; i < r.size(); i++) {
      v[i + 1] = r.get(i);
    }
    return v;
  }

  /** Distinct, realistic-sized event rows; deterministic. */
  static List<Row> rows(int n) {
    List<Row> rows = new ArrayList<>(n);
    long base = 1_795_000_000_000L;
    for (int i = 0; i < n; i++) {
      rows.add(
          new GenericRowWithSchema(
              new Object[] {
                String.format("%064x", (long) i * 2_654_435_761L),
                new Timestamp(base + i * 10L),
                "https://shop" + (i % 7) + ".example.com/products/" + (i % 5_000) + "?ref=" + i,
                i % 3 == 0 ? null : "https://www.google.com/search?q=item" + (i % 97),
                "shop" + (i % 7) + ".example.com",
                "10." + (i % 256) + "." + (i / 256 % 256) + "." + (i % 200),
                "Chrome",
                "Other",
                "Windows",
                i % 4 == 0 ? null : (long) (i % 10_000),
                (long) (i % 40),
                i % 2,
                (long) i,
                "United States",
                "California",
                "San Francisco",
                "Shop " + (i % 7),
                "commerce",
                "production"
              },
              SCHEMA));
    }
    return rows;
  }

  private static Connection connect(PipelineConfig config) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", config.postgres().user());
    config.postgres().password().ifPresent(pw -> p.setProperty("password", pw.value()));
    return DriverManager.getConnection(config.postgres().url(), p);
  }
}
