package io.webtraffic.testing;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.job.BatchReport;
import io.webtraffic.job.PipelineJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Runs the job with a configuration a test prepared (a rewound checkpoint, another starting
 * position) on the shared Spark session until the topic is drained; the query's failure, if any, is
 * thrown as Spark reports it.
 */
public final class AvailableNowRun {
  private static final long TIMEOUT_MINUTES = 5;

  private AvailableNowRun() {}

  /** Returns the batches of the run; throws Spark's StreamingQueryException if the query fails. */
  public static List<BatchReport> run(PipelineConfig config) throws Exception {
    List<BatchReport> reports = Collections.synchronizedList(new ArrayList<>());
    StreamingQuery query =
        PipelineJob.create(TestSpark.session(), config, reports::add).start(TestSpark.session());
    if (!query.awaitTermination(TimeUnit.MINUTES.toMillis(TIMEOUT_MINUTES))) {
      query.stop();
      throw new AssertionError(
          "availableNow run did not finish within " + TIMEOUT_MINUTES + " min");
    }
    reports.forEach(r -> System.out.println("[" + config.jobName() + "] " + r));
    return new ArrayList<>(reports);
  }

  public static long recordsRead(List<BatchReport> reports) {
    return reports.stream().mapToLong(r -> r.counts().read()).sum();
  }
}
