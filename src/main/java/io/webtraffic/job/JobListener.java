package io.webtraffic.job;

import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * A listener for one run of the job's query: Spark's listeners hear every query of the session, so
 * this one keeps to the next query started under the job's name and removes itself when that run
 * ends (tests start many queries in one session).
 */
abstract class JobListener extends StreamingQueryListener {
  private final SparkSession spark;
  private final String queryName;
  private volatile UUID runId;

  JobListener(SparkSession spark, String queryName) {
    this.spark = spark;
    this.queryName = queryName;
  }

  /** Called after each micro-batch of the run, on Spark's listener thread. */
  abstract void onBatch(StreamingQueryProgress progress);

  /** Called once when the run ends. */
  void onEnd() {}

  @Override
  public final void onQueryStarted(QueryStartedEvent event) {
    if (runId == null && queryName.equals(event.name())) {
      runId = event.runId();
    }
  }

  @Override
  public final void onQueryProgress(QueryProgressEvent event) {
    if (event.progress().runId().equals(runId)) {
      onBatch(event.progress());
    }
  }

  @Override
  public final void onQueryTerminated(QueryTerminatedEvent event) {
    if (event.runId().equals(runId)) {
      spark.streams().removeListener(this);
      onEnd();
    }
  }
}
