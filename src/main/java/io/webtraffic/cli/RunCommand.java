package io.webtraffic.cli;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.PipelineJob;
import io.webtraffic.job.Preflight;
import io.webtraffic.job.SparkSessions;
import io.webtraffic.ops.GracefulStop;
import io.webtraffic.ops.ResumeCheck;
import io.webtraffic.ops.RewindMarker;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the streaming job until it is stopped (or, with availableNow, until the topic is drained).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE, ExitCodes.QUALITY_STOP},
    description = "Run the streaming job: Kafka -> Iceberg + PostgreSQL, one line per micro-batch.")
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger("io.webtraffic.batches");

  @Mixin ConfigOptions options;
  @Mixin JobOptions job;

  @Override
  public Integer call() throws Exception {
    // Signals are handled from here on: a Ctrl-C or SIGTERM while the job starts stops it with a
    // message once Spark is up, instead of the JVM's default exit (130, 143).
    GracefulStop stop = GracefulStop.install();
    try {
      return run(stop);
    } finally {
      stop.close();
    }
  }

  private Integer run(GracefulStop stop) throws Exception {
    PipelineConfig config = RewindMarker.apply(options.load(job.flags()));
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
