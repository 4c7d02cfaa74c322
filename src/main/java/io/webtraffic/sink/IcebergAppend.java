package io.webtraffic.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Appends one micro-batch to one Iceberg table exactly once. Each commit carries the streaming
 * query id and batch id in its snapshot summary (as Iceberg's own streaming sink does); a replayed
 * batch whose snapshot is already in the table's history is skipped.
 */
public final class IcebergAppend {
  public static final String QUERY_ID = "pipeline.query-id";
  static final String BATCH_ID = "pipeline.batch-id";

  private final String table;
  private final boolean tableOrdering;

  public IcebergAppend(String table) {
    this(table, true);
  }

  /**
   * @param tableOrdering whether the write follows the table's distribution and sort order; without
   *     it (write-distribution none) each task writes its rows as they come, with fanout writers
   *     and no sort, and compaction by {@code maintain} sorts the files later
   */
  IcebergAppend(String table, boolean tableOrdering) {
    this.table = table;
    this.tableOrdering = tableOrdering;
  }

  /** Returns true when this call committed, false when the batch was already in the table. */
  public boolean append(Dataset<Row> rows, String queryId, long batchId) {
    if (committed(rows.sparkSession(), queryId, batchId)) {
      return false;
    }
    write(rows, queryId, batchId);
    return true;
  }

  /** Whether this query's batch is already in the table's current lineage. */
  boolean committed(SparkSession spark, String queryId, long batchId) {
    return lastCommittedBatch(spark, queryId) >= batchId;
  }

  /**
   * Commits the rows with the batch's snapshot properties; callers have checked {@link #committed}.
   */
  void write(Dataset<Row> rows, String queryId, long batchId) {
    try {
      rows.writeTo(table)
          .option("snapshot-property." + QUERY_ID, queryId)
          .option("snapshot-property." + BATCH_ID, String.valueOf(batchId))
          .option("use-table-distribution-and-ordering", String.valueOf(tableOrdering))
          .append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot append to " + table + ": table is missing", e);
    }
  }

  /**
   * Whether some data file of the table may hold a row whose timestamp {@code column} is at or
   * after {@code fromMs}, by the files' column statistics: no row is read.
   */
  boolean mayHoldFrom(SparkSession spark, String column, long fromMs) {
    Table iceberg = load(spark);
    if (iceberg.currentSnapshot() == null) {
      return false;
    }
    try (CloseableIterable<FileScanTask> files =
        iceberg
            .newScan()
            .filter(Expressions.greaterThanOrEqual(column, fromMs * 1000))
            .planFiles()) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan a scan of " + table, e);
    }
  }

  /**
   * Commits rows the driver holds, each with {@code constants}, without a Spark job; callers have
   * checked {@link #committed}.
   */
  void writeRows(
      SparkSession spark,
      List<Row> rows,
      StructType rowSchema,
      Map<String, Object> constants,
      String queryId,
      long batchId) {
    DriverRowsWriter.append(
        load(spark),
        rows,
        rowSchema,
        constants,
        tableOrdering,
        Map.of(QUERY_ID, queryId, BATCH_ID, String.valueOf(batchId)));
  }

  /** The newest batch of this query in the table's current lineage, or -1. */
  public long lastCommittedBatch(SparkSession spark, String queryId) {
    Table iceberg = load(spark);
    Snapshot snapshot = iceberg.currentSnapshot();
    while (snapshot != null) {
      if (queryId.equals(snapshot.summary().get(QUERY_ID))) {
        return Long.parseLong(snapshot.summary().get(BATCH_ID));
      }
      Long parent = snapshot.parentId();
      snapshot = parent == null ? null : iceberg.snapshot(parent);
    }
    return -1;
  }

  private Table load(SparkSession spark) {
    try {
      return Spark3Util.loadIcebergTable(spark, table);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot load Iceberg table " + table + ": " + e.getMessage(), e);
    }
  }
}
