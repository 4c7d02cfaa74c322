package io.webtraffic.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.quality.BatchProfile;
import io.webtraffic.transform.Outcomes;
import io.webtraffic.window.HitBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;

/**
 * Everything the commit needs to know about a batch's outcomes, from one Spark job: its accounting,
 * its events' hits per time bucket (the window increments), its changed sessions and finished count
 * windows (a few rows per active key, each its own group) and, observed during the same scan, its
 * data-quality profile. At a few records a batch a Spark job's fixed cost is most of the batch's
 * time, and at many records each job reads the whole kept copy: so these share one.
 */
record BatchSummary(
    BatchCounts counts,
    BatchProfile profile,
    List<HitBuckets.Bucket> buckets,
    List<Row> sessions,
    List<Row> countWindows) {
  private static final String PROFILE = "batch_profile";

  /** The window rows as grouping columns: named apart from the outcome {@code count}'s tally. */
  private static final String SESSION_ROW = "session_row";

  private static final String COUNT_WINDOW_ROW = "count_window_row";

  static BatchSummary of(Dataset<Row> outcomes, List<String> requiredFields, HitBuckets hits) {
    Column outcome = col(Outcomes.OUTCOME);
    Column record = outcome.isin(Outcomes.RECORD_OUTCOMES.toArray());
    Column[] profile =
        BatchProfile.aggregates(requiredFields, record, outcome.notEqual(lit(Outcomes.DEAD)));
    Column event = outcome.equalTo(lit(Outcomes.EVENT));
    Dataset<Row> tally =
        outcomes
            .where(record.or(event).or(outcome.isin(Outcomes.SESSION, Outcomes.COUNT)))
            .observe(PROFILE, profile[0], Arrays.copyOfRange(profile, 1, profile.length))
            .groupBy(
                outcome,
                col("reason"),
                col("kept_but_late"),
                when(event, hits.bucketOf(col("event_time"))).as("bucket"),
                when(event, col("host")).as("host"),
                when(event, col("referrer")).as("referrer"),
                col(Outcomes.SESSION).as(SESSION_ROW),
                col(Outcomes.COUNT).as(COUNT_WINDOW_ROW))
            .count();
    List<Row> groups = tally.collectAsList();
    Option<Row> observed = tally.queryExecution().observedMetrics().get(PROFILE);
    if (observed.isEmpty()) {
      throw new IllegalStateException("Spark reported no " + PROFILE + " for the batch");
    }
    long candidates = 0;
    long events = 0;
    long late = 0;
    long keptButLate = 0;
    List<Row> sessions = new ArrayList<>();
    List<Row> countWindows = new ArrayList<>();
    Map<String, Long> dead = new TreeMap<>();
    Map<String, Long> filtered = new TreeMap<>();
    List<HitBuckets.Bucket> buckets = new ArrayList<>();
    for (Row r : groups) {
      long n = r.getAs("count");
      switch (r.<String>getAs(Outcomes.OUTCOME)) {
        case Outcomes.CANDIDATE -> candidates += n;
        case Outcomes.LATE -> late += n;
        case Outcomes.DEAD -> dead.merge(r.getAs("reason"), n, Long::sum);
        case Outcomes.FILTERED -> filtered.merge(r.getAs("reason"), n, Long::sum);
        case Outcomes.SESSION ->
            sessions.addAll(Collections.nCopies(Math.toIntExact(n), r.<Row>getAs(SESSION_ROW)));
        case Outcomes.COUNT ->
            countWindows.addAll(
                Collections.nCopies(Math.toIntExact(n), r.<Row>getAs(COUNT_WINDOW_ROW)));
        case Outcomes.EVENT -> {
          events += n;
          keptButLate += r.<Boolean>getAs("kept_but_late") ? n : 0;
          buckets.add(
              new HitBuckets.Bucket(
                  r.<Long>getAs("bucket"), r.getAs("host"), r.getAs("referrer"), n));
        }
        default -> throw new IllegalStateException("Unexpected outcome " + r.getAs("outcome"));
      }
    }
    return new BatchSummary(
        BatchCounts.of(candidates, events, late, dead, filtered, keptButLate),
        BatchProfile.from(observed.get(), requiredFields),
        buckets,
        sessions,
        countWindows);
  }
}
