package io.webtraffic.job;

import static org.apache.spark.sql.functions.col;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.enrich.SideInputs;
import io.webtraffic.maintain.Housekeeping;
import io.webtraffic.quality.QualityGate;
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
import io.webtraffic.transform.TrimRecord;
import io.webtraffic.window.HitBuckets;
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
 * The streaming job, top to bottom. The streaming half ({@link #streamingHalf}) decodes, validates
 * and classifies every Kafka record without dropping any, deduplicates the events under the
 * event-time watermark, and runs the session and count windows; the batch half ({@link MicroBatch})
 * gives each row its outcome, checks the batch and commits it to Iceberg and PostgreSQL exactly
 * once.
 */
public final class PipelineJob {
  private final PipelineConfig config;
  private final KafkaSource source;
  private final MicroBatch microBatch;
  private final PostgresSink postgres;
  private final ProgressListener progress;

  private PipelineJob(
      PipelineConfig config,
      KafkaSource source,
      MicroBatch microBatch,
      PostgresSink postgres,
      ProgressListener progress) {
    this.config = config;
    this.source = source;
    this.microBatch = microBatch;
    this.postgres = postgres;
    this.progress = progress;
  }

  /**
   * The job as configured: Kafka source, Iceberg and PostgreSQL sinks. Creates the Iceberg tables
   * if missing; the PostgreSQL tables too when one role does both, else only checks that the
   * migration ({@code scripts/pipeline migrate}) created them.
   */
  public static PipelineJob create(
      SparkSession spark, PipelineConfig config, Consumer<BatchReport> reports) {
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
    MicroBatch microBatch =
        new MicroBatch(
            config.checkpointLocation(),
            sideInputs,
            new QualityGate(config.quality(), postgres),
            new HitBuckets(tumbling, sliding),
            new ClosedWindows(
                config.checkpointLocation(),
                config.iceberg().table(IcebergTables.EVENTS),
                tumbling,
                sliding),
            new IcebergSink(config.iceberg()),
            postgres,
            config.postgres().upsertEvents(),
            report -> {
              progress.remember(report);
              reports.accept(report);
            },
            Housekeeping.of(config));
    return new PipelineJob(config, new KafkaSource(config.kafka()), microBatch, postgres, progress);
  }

  public StreamingQuery start(SparkSession spark) throws TimeoutException {
    // Kafka records: key, value, topic, partition, offset, timestamp.
    Dataset<Row> records = source.read(spark);

    // Spark's own count of rows dropped behind the watermark, recorded beside the late count.
    WatermarkDrops.watch(spark, config.jobName(), postgres);
    ConsumerGroupOffsets.watch(spark, config.jobName(), config.kafka());
    // One structured log line and one pipeline_progress row per batch.
    spark.streams().addListener(progress);

    // Each micro-batch of the streaming half goes through MicroBatch's stages.
    return streamingHalf(config, records)
        .writeStream()
        .queryName(config.jobName())
        .option("checkpointLocation", config.checkpointLocation())
        .trigger(config.trigger().toSparkTrigger())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) microBatch)
        .start();
  }

  /**
   * The streaming half, from any source of Kafka-shaped records (key, value, topic, partition,
   * offset, timestamp): every record beside the window operator's rows, as each micro-batch hands
   * them to {@link MicroBatch}.
   */
  static Dataset<Row> streamingHalf(PipelineConfig config, Dataset<Row> records) {
    // Decode and validate (dead_reason), lift the user agent, dead-letter text the sinks would
    // alter and records over the limits, apply the filter rules (filter_reason).
    Dataset<Row> decoded = new Decode(config.maxFutureSkew()).apply(records);
    Dataset<Row> enriched = new EnrichUserAgent().apply(decoded);
    Dataset<Row> checked =
        new RecordLimits(config.limits()).apply(new TextIntegrity().apply(enriched));
    Dataset<Row> classified = new FilterEvents(config.filter()).apply(checked);

    // Dedup key and watermark (dead and filtered records have no event time), the bytes each
    // record will store, then one shuffle by dedup key.
    Dataset<Row> keyed =
        new TrimRecord()
            .apply(new DedupKey().apply(classified))
            .withWatermark("wm_time", config.watermarkDelay().toMillis() + " milliseconds")
            .repartition(config.spark().shufflePartitions(), col("dedup_key"));

    // Deduplicate within the watermark (state in RocksDB), then the session and count windows in
    // one more stateful operator, which also passes on every event the deduplication kept.
    Dataset<Row> windows =
        new StatefulWindows(config.windows())
            .apply(keyed.dropDuplicatesWithinWatermark("dedup_key"));

    // Every record (for the accounting, late rows and dead letters) beside the operator's rows
    // (events, sessions, count windows): both read the same shuffle, so Kafka is read and parsed
    // once per batch.
    return keyed.unionByName(windows, true);
  }
}
