package io.webtraffic.sink;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.webtraffic.quality.BatchProfile;
import io.webtraffic.transform.Classify;
import io.webtraffic.window.HitBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;

/**
 * Everything the commit needs to know about a classified batch, from one Spark job: its accounting,
 * its events' hits per time bucket (the window increments), and, observed during the same scan, its
 * data-quality profile. At a few records a batch a Spark job's fixed cost is most of the batch's
 * time, so these share one.
 */
record BatchTally(BatchCounts counts, BatchProfile profile, List<HitBuckets.Bucket> buckets) {
  private static final String PROFILE = "batch_profile";

  static BatchTally of(Dataset<Row> classified, List<String> requiredFields, HitBuckets hits) {
    Column[] profile = BatchProfile.aggregates(requiredFields);
    Column event = col("outcome").equalTo(lit(Classify.EVENT));
    Dataset<Row> tally =
        classified
            .observe(PROFILE, profile[0], Arrays.copyOfRange(profile, 1, profile.length))
            .groupBy(
                col("outcome"),
                coalesce(col("dead_reason"), col("filter_reason")).as("reason"),
                col("kept"),
                when(event, hits.bucketOf(col("event_time"))).as("bucket"),
                when(event, col("host")).as("host"),
                when(event, col("referrer")).as("referrer"))
            .count();
    List<Row> groups = tally.collectAsList();
    Option<Row> observed = tally.queryExecution().observedMetrics().get(PROFILE);
    if (observed.isEmpty()) {
      throw new IllegalStateException("Spark reported no " + PROFILE + " for the batch");
    }
    List<HitBuckets.Bucket> buckets = new ArrayList<>();
    for (Row r : groups) {
      if (Classify.EVENT.equals(r.getAs("outcome"))) {
        buckets.add(
            new HitBuckets.Bucket(
                r.<Long>getAs("bucket"),
                r.getAs("host"),
                r.getAs("referrer"),
                r.<Long>getAs("count")));
      }
    }
    return new BatchTally(
        BatchCounts.of(groups), BatchProfile.from(observed.get(), requiredFields), buckets);
  }
}
