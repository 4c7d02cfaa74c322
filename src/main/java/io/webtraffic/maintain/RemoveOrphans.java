package io.webtraffic.maintain;

import java.time.Duration;
import java.time.Instant;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * Deletes files under the table's location that no snapshot references (left by a writer that died
 * before its commit) once they are older than the safety margin; younger ones may belong to a
 * commit in progress.
 */
final class RemoveOrphans {
  private RemoveOrphans() {}

  static int run(SparkSession spark, Table table, Duration olderThan) {
    int removed = 0;
    for (String ignored :
        SparkActions.get(spark)
            .deleteOrphanFiles(table)
            .olderThan(Instant.now().minus(olderThan).toEpochMilli())
            .execute()
            .orphanFileLocations()) {
      removed++;
    }
    return removed;
  }
}
