package io.webtraffic.job;

import io.webtraffic.config.PipelineConfig.KafkaSettings;
import io.webtraffic.source.KafkaAdmin;
import io.webtraffic.source.KafkaOffsets;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits each finished micro-batch's end offsets to the Kafka consumer group {@code
 * webtraffic-pipeline.<job>}, so the job's lag shows in standard Kafka tooling
 * (kafka-consumer-groups, Burrow, a metrics exporter). Spark's Kafka source does not use a consumer
 * group of its own; the checkpoint stays the truth and this is a copy for others to read, so a
 * failed commit only warns: the next batch commits again.
 */
final class ConsumerGroupOffsets extends JobListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupOffsets.class);
  static final String GROUP_PREFIX = "webtraffic-pipeline.";

  private final KafkaSettings kafka;
  private final String group;
  private final Duration timeout;
  private KafkaAdmin admin;
  private String lastCommitted;

  ConsumerGroupOffsets(
      SparkSession spark, String queryName, KafkaSettings kafka, Duration timeout) {
    super(spark, queryName);
    this.kafka = kafka;
    this.group = group(queryName);
    this.timeout = timeout;
  }

  /** The consumer group a job's position is committed to. */
  static String group(String jobName) {
    return GROUP_PREFIX + jobName;
  }

  /** Commits the offsets of the next query named {@code queryName} until it terminates. */
  static void watch(SparkSession spark, String queryName, KafkaSettings kafka) {
    spark
        .streams()
        .addListener(new ConsumerGroupOffsets(spark, queryName, kafka, Duration.ofSeconds(10)));
  }

  @Override
  void onBatch(StreamingQueryProgress progress) {
    SourceProgress[] sources = progress.sources();
    if (sources.length > 0) {
      commit(progress.batchId(), sources[0].endOffset());
    }
  }

  /**
   * Commits the offsets {@code {"topic":{"0":123}}} unless they are the ones committed last (an
   * idle query reports the same progress again); returns whether it committed.
   */
  boolean commit(long batchId, String endOffsetJson) {
    if (endOffsetJson == null || endOffsetJson.equals(lastCommitted)) {
      return false;
    }
    try {
      if (admin == null) {
        admin = KafkaAdmin.connect(kafka, timeout);
      }
      admin.commit(group, KafkaOffsets.parse(endOffsetJson));
      lastCommitted = endOffsetJson;
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "Batch {}: cannot commit its offsets to consumer group {} (the job goes on): {}",
          batchId,
          group,
          e.getMessage());
      return false;
    }
  }

  @Override
  void onEnd() {
    if (admin != null) {
      admin.close();
    }
  }
}
