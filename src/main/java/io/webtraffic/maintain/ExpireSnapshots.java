package io.webtraffic.maintain;

import io.webtraffic.sink.IcebergAppend;
import java.time.Duration;
import java.time.Instant;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * Expires snapshots older than the retention, keeping at least a minimum number, and deletes the
 * files only they referenced. The newest snapshot the job committed is always kept: a batch
 * replayed after a crash looks for its own commit in the table's history, and must still find it
 * there, or it would be appended twice.
 */
final class ExpireSnapshots {
  private ExpireSnapshots() {}

  /** Snapshots expired and files deleted. */
  record Result(long dataFilesDeleted, long manifestListsDeleted) {}

  static Result run(SparkSession spark, Table table, Duration retention, int minSnapshots) {
    long cutoff = Instant.now().minus(retention).toEpochMilli();
    Snapshot lastJobCommit = lastJobCommit(table);
    if (lastJobCommit != null) {
      cutoff = Math.min(cutoff, lastJobCommit.timestampMillis());
    }
    var result =
        SparkActions.get(spark)
            .expireSnapshots(table)
            .expireOlderThan(cutoff)
            .retainLast(minSnapshots)
            .execute();
    return new Result(result.deletedDataFilesCount(), result.deletedManifestListsCount());
  }

  private static Snapshot lastJobCommit(Table table) {
    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    while (snapshot != null && !snapshot.summary().containsKey(IcebergAppend.QUERY_ID)) {
      Long parent = snapshot.parentId();
      snapshot = parent == null ? null : table.snapshot(parent);
    }
    return snapshot;
  }
}
