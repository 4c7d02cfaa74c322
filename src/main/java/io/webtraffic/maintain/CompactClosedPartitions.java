package io.webtraffic.maintain;

import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * Rewrites the small files of closed partitions into files of the target size, in the table's sort
 * order. Open partitions are left alone: the job is still adding files there, and compacting them
 * would only be redone. A partition already down to one file is not rewritten again.
 */
final class CompactClosedPartitions {
  private CompactClosedPartitions() {}

  /** Files rewritten and files written. */
  record Result(int rewritten, int written, long rewrittenBytes) {}

  static Result run(SparkSession spark, Table table, Expression closed) {
    RewriteDataFiles action =
        SparkActions.get(spark)
            .rewriteDataFiles(table)
            .filter(closed)
            .option(RewriteDataFiles.PARTIAL_PROGRESS_ENABLED, "true")
            .option("min-input-files", "2");
    if (!table.sortOrder().isUnsorted()) {
      action = action.sort();
    }
    RewriteDataFiles.Result result = action.execute();
    return new Result(
        result.rewrittenDataFilesCount(),
        result.addedDataFilesCount(),
        result.rewrittenBytesCount());
  }
}
