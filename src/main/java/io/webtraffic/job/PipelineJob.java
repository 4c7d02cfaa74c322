package io.webtraffic.job;

import static org.apache.spark.sql.functions.col;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.enrich.SideInputs;
import io.webtraffic.maintain.Housekeeping;
import io.webtraffic.quality.QualityGate;
import io.webtraffic.sink.BatchCommitter;
import io.webtraffic.sink.IcebergSink;
import io.webtraffic.sink.IcebergTables;
import io.webtraffic.sink.PostgresSink;
import io.webtraffic.sink.ProgressTable;
import io.webtraffic.source.KafkaSource;
import io.webtraffic.transform.Decode;
import io.webtraffic.transform.DedupKey;
import io.webtraffic.transform.EnrichUserAgent;
import io.webtraffic.transform.FilterEvents;
import io.webtraffic.transform.RecordLimits;
import io.webtraffic.transform.TextIntegrity;
import io.webtraffic.window.StatefulWindows;
import io.webtraffic.window.TimeWindows;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The streaming job, top to bottom. Kafka records are decoded, validated, enriched and classified
 * without dropping anything; the deduplication runs under the event-time watermark, followed by the
 * session and count windows; and every record, together with the window rows, reaches the
 * committer, which accounts for each record and writes the sinks exactly once.
 */
public final class PipelineJob {
  private final PipelineConfig config;
  private final KafkaSource source;
  private final BatchCommitter committer;
  private final PostgresSink postgres;
  private final ProgressListener progress;

  private PipelineJob(
      PipelineConfig config,
      KafkaSource source,
      BatchCommitter committer,
      PostgresSink postgres,
      ProgressListener progress) {
    this.config = config;
    this.source = source;
    this.committer = committer;
    this.postgres = postgres;
    this.progress = progress;
  }

  /**
   * The job as configured: Kafka source, Iceberg and PostgreSQL sinks. Creates the Iceberg tables
   * if missing; the PostgreSQL tables too when one role does both, else only checks that the
   * migration ({@code scripts/pipeline migrate}) created them.
   */
  public static PipelineJob create(
      SparkSession spark, PipelineConfig config, Consumer<BatchCommitter.BatchReport> reports) {
    new IcebergTables(config.iceberg()).createIfMissing(spark);
    PostgresSink postgres = new PostgresSink(config.postgres(), config.jobName());
    if (config.postgres().migratesAtStart()) {
      postgres.createTablesIfMissing();
    } else {
      postgres.requireTables();
    }
    // The dimensions are loaded now, so that unreadable tables stop the job before it starts.
    SideInputs sideInputs =
        SideInputs.fromPostgres(
            config.postgres(), config.jobName(), config.enrichment().refreshInterval());
    sideInputs.forBatch(spark, -1);
    TimeWindows tumbling = TimeWindows.tumbling(config.windows().tumblingSize());
    TimeWindows sliding =
        TimeWindows.sliding(config.windows().slidingSize(), config.windows().slidingSlide());
    ProgressListener progress =
        new ProgressListener(spark, config.jobName(), new ProgressTable(postgres));
    BatchCommitter committer =
        new BatchCommitter(
            config.checkpointLocation(),
            new IcebergSink(config.iceberg(), tumbling, sliding),
            postgres,
            tumbling,
            sliding,
            config.postgres().upsertEvents(),
            sideInputs,
            new QualityGate(config.quality(), postgres),
            report -> {
              progress.remember(report);
              reports.accept(report);
            },
            Housekeeping.of(config));
    return new PipelineJob(config, new KafkaSource(config.kafka()), committer, postgres, progress);
  }

  public StreamingQuery start(SparkSession spark) throws TimeoutException {
    // Kafka records: key, value, topic, partition, offset, timestamp.
    Dataset<Row> records = source.read(spark);

    // Decode and validate (dead_reason), lift the user agent, dead-letter text the sinks would
    // alter
    // and records over the limits, apply filter rules (filter_reason).
    Dataset<Row> decoded = new Decode(config.maxFutureSkew()).apply(records);
    Dataset<Row> enriched = new EnrichUserAgent().apply(decoded);
    Dataset<Row> checked =
        new RecordLimits(config.limits()).apply(new TextIntegrity().apply(enriched));
    Dataset<Row> classified = new FilterEvents(config.filter()).apply(checked);

    // Watermark on event time (dead and filtered records have none), then one shuffle by dedup key.
    Dataset<Row> keyed =
        new DedupKey()
            .apply(classified)
            .withWatermark("wm_time", config.watermarkDelay().toMillis() + " milliseconds")
            .repartition(config.spark().shufflePartitions(), col("dedup_key"));

    // Deduplicate within the watermark (state in RocksDB), then session and count windows over
    // what it kept, in one more stateful operator that also reports the kept rows' coordinates.
    Dataset<Row> windows =
        new StatefulWindows(config.windows())
            .apply(keyed.dropDuplicatesWithinWatermark("dedup_key"));

    // Spark's own count of rows dropped behind the watermark, recorded beside the late count.
    WatermarkDrops.watch(spark, config.jobName(), postgres);
    ConsumerGroupOffsets.watch(spark, config.jobName(), config.kafka());
    // One structured log line and one pipeline_progress row per batch.
    spark.streams().addListener(progress);

    // Every record plus the window rows: the committer tells events, duplicates and late rows
    // apart, and writes events, windows and accounting. Both branches read the same shuffle, so
    // Kafka is scanned and parsed once per batch (Spark reuses the identical exchange).
    return keyed
        .unionByName(windows, true)
        .writeStream()
        .queryName(config.jobName())
        .option("checkpointLocation", config.checkpointLocation())
        .trigger(config.trigger().toSparkTrigger())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) committer)
        .start();
  }
}
