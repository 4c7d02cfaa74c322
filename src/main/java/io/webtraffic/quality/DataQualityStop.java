package io.webtraffic.quality;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A batch failed a check whose action is stop. Thrown inside foreachBatch before any sink commits,
 * so Spark fails the query without writing the batch to its commit log: nothing of the batch is in
 * Iceberg or PostgreSQL, and a restart runs the same batch again (and stops again, unless the
 * configuration changed).
 */
public final class DataQualityStop extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataQualityStop(long batchId, List<CheckResult> stopping, String table) {
    super(message(batchId, stopping, table));
  }

  private static String message(long batchId, List<CheckResult> stopping, String table) {
    String failed =
        stopping.stream()
            .map(
                r ->
                    r.check()
                        + " = "
                        + r.shownValue()
                        + " (allowed "
                        + r.threshold()
                        + "; "
                        + r.detail()
                        + ")")
            .collect(Collectors.joining("; "));
    String keys =
        stopping.stream().map(CheckResult::settingPrefix).collect(Collectors.joining(", "));
    return "Data-quality check failed with action stop at batch "
        + batchId
        + ": "
        + failed
        + ". Nothing of batch "
        + batchId
        + " was committed; its check results are in "
        + table
        + ". To go on, change the limit or the action (record, warn) of "
        + keys
        + " and start the job again (it re-runs batch "
        + batchId
        + "), or move past the batch with scripts/pipeline rewind";
  }
}
