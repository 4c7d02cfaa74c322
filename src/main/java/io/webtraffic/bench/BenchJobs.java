package io.webtraffic.bench;

import static org.apache.spark.sql.functions.col;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.BatchReport;
import io.webtraffic.job.PipelineJob;
import io.webtraffic.local.StackEndpoints;
import io.webtraffic.source.KafkaSource;
import io.webtraffic.transform.Decode;
import io.webtraffic.transform.DedupKey;
import io.webtraffic.transform.EnrichUserAgent;
import io.webtraffic.transform.FilterEvents;
import io.webtraffic.transform.TrimRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The queries the benchmark compares, each a prefix of the job's own plan ending in a no-op sink,
 * and the job itself. All read the same topic with the job's Kafka source settings.
 */
final class BenchJobs {
  enum Stage {
    READ_ONLY("read-only (Kafka → noop)"),
    PARSE("parse and validate (Decode → noop)"),
    DEDUP("up to dedup (→ noop)"),
    FULL("full pipeline (Iceberg + PostgreSQL)");

    final String label;

    Stage(String label) {
      this.label = label;
    }
  }

  private final SparkSession spark;
  private final StackEndpoints stack;
  private final Path workDir;
  private final Map<String, String> overrides;

  BenchJobs(SparkSession spark, StackEndpoints stack, Path workDir, Map<String, String> overrides) {
    this.spark = spark;
    this.stack = stack;
    this.workDir = workDir;
    this.overrides = Map.copyOf(overrides);
  }

  String bootstrapServers() {
    return stack.bootstrapServers();
  }

  /**
   * The shipped defaults pointed at the bench stack, with a checkpoint, namespace and schema of its
   * own.
   */
  PipelineConfig config(String name, String topic, Map<String, String> extra) {
    return ConfigLoader.load(Optional.empty(), Map.of(), flags(name, topic, extra), workDir);
  }

  Map<String, String> flags(String name, String topic, Map<String, String> extra) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("job-name", name);
    f.put("kafka.bootstrap-servers", stack.bootstrapServers());
    f.put("kafka.topic", topic);
    f.put("trigger", "availableNow");
    f.put("checkpoint-location", workDir.resolve("checkpoints").resolve(name).toString());
    f.put("iceberg.warehouse", stack.warehouse().toString());
    f.put("iceberg.namespace", name);
    f.put("postgres.url", stack.jdbcUrl());
    f.put("postgres.user", stack.jdbcUser());
    f.put("postgres.schema", name);
    f.putAll(overrides);
    f.putAll(extra);
    return f;
  }

  StreamingQuery start(Stage stage, PipelineConfig config, Consumer<BatchReport> reports)
      throws TimeoutException {
    if (stage == Stage.FULL) {
      return PipelineJob.create(spark, config, reports).start(spark);
    }
    Dataset<Row> records = new KafkaSource(config.kafka()).read(spark);
    Dataset<Row> out =
        switch (stage) {
          case READ_ONLY -> records;
          case PARSE -> new Decode(config.maxFutureSkew()).apply(records);
          case DEDUP -> upToDedup(config, records);
          case FULL -> throw new IllegalStateException("unreachable");
        };
    return out.writeStream()
        .queryName(config.jobName())
        .format("noop")
        .option("checkpointLocation", config.checkpointLocation())
        .trigger(Trigger.AvailableNow())
        .start();
  }

  /** The job's plan up to and including the deduplication, as PipelineJob builds it. */
  static Dataset<Row> upToDedup(PipelineConfig config, Dataset<Row> records) {
    Dataset<Row> decoded = new Decode(config.maxFutureSkew()).apply(records);
    Dataset<Row> classified =
        new FilterEvents(config.filter()).apply(new EnrichUserAgent().apply(decoded));
    return new TrimRecord()
        .apply(new DedupKey().apply(classified))
        .withWatermark("wm_time", config.watermarkDelay().toMillis() + " milliseconds")
        .repartition(config.spark().shufflePartitions(), col("dedup_key"))
        .dropDuplicatesWithinWatermark("dedup_key");
  }
}
