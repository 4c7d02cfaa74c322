package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.PipelineJob;
import io.webtraffic.job.Preflight;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.ops.GracefulStop;
import io.webtraffic.ops.ResumeCheck;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} does, apart from its command class: picocli reflects on every command's methods
 * when the command line is built, and a method naming Spark types there would load Spark into
 * commands that never use it (status answers without Spark).
 */
final class JobRun {
  private static final Logger LOG = LoggerFactory.getLogger("io.webtraffic.batches");

  private JobRun() {}

  /** Runs the job with {@code config} until it stops; the exit code. */
  static Integer run(PipelineConfig config) throws Exception {
    // Signals are handled from here on: a Ctrl-C or SIGTERM while the job starts stops it with a
    // message once Spark is up, instead of the JVM's default exit (130, 143).
    GracefulStop stop = GracefulStop.install();
    try {
      return run(config, stop);
    } finally {
      stop.close();
    }
  }

  private static Integer run(PipelineConfig config, GracefulStop stop) throws Exception {
    Preflight.check(config);
    ResumeCheck.check(config);
    LOG.info(
        "Starting job '{}': topic {} at {}, trigger {}, checkpoint {}, Iceberg {} ({}), PostgreSQL {}",
        config.jobName(),
        config.kafka().topic(),
        config.kafka().bootstrapServers(),
        config.trigger(),
        config.checkpointLocation(),
        config.iceberg().warehouse(),
        config.iceberg().catalogType(),
        config.postgres().url());
    SparkSession spark = null;
    try {
      spark = SparkSessions.create(config);
      logUi(spark, config);
      if (stop.requested()) {
        LOG.info("Job '{}' stopped before its first batch", config.jobName());
        return 0;
      }
      StreamingQuery query =
          PipelineJob.create(spark, config, report -> LOG.info("{}", report)).start(spark);
      stop.watch(query);
      LOG.info("Job '{}' running (Ctrl-C stops it after the current batch)", config.jobName());
      query.awaitTermination();
      stop.awaitStopped();
      LOG.info("Job '{}' stopped", config.jobName());
      return 0;
    } finally {
      stop.awaitStopped(); // the stopping thread is done with the query before Spark stops
      if (spark != null) {
        spark.stop();
      }
    }
  }

  private static void logUi(SparkSession spark, PipelineConfig config) {
    if (spark.sparkContext().uiWebUrl().isDefined()) {
      String ui = spark.sparkContext().uiWebUrl().get();
      LOG.info(
          "Spark UI {} (Structured Streaming tab {}/StreamingQuery/){}",
          ui,
          ui,
          config.spark().metricsEnabled()
              ? ", Prometheus " + ui + SparkSessions.PROMETHEUS_PATH + "/"
              : "");
    }
  }
}
