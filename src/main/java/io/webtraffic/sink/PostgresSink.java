package io.webtraffic.sink;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.batch.Watermarks;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.quality.CheckResult;
import io.webtraffic.quality.QualityLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;

/**
 * Writes one micro-batch to PostgreSQL in a single transaction: tumbling and sliding window
 * increments, the sessions and count windows that changed, optionally the clean events, the batch's
 * accounting row and the ledger row (query id, sink, batch id). A batch whose ledger row exists was
 * committed before and is skipped, so window increments are applied once. Rows travel by COPY into
 * temporary staging tables and are merged with one statement per table.
 *
 * <p>The entry point of the PostgreSQL sink; each role is a class of its own: {@link
 * PostgresTables} (DDL), {@link JobRolePrivileges} (grants and the start check), {@link
 * PostgresBatchCommit} (the transaction and its retries), {@link WindowMerge} and {@link
 * EventsMerge} (the merges), {@link BatchAccounting}, {@link PostgresLedger}, {@link PostgresCopy}
 * and {@link PostgresConnections}.
 */
public final class PostgresSink implements QualityLog {
  /** Every table the job writes in its schema. */
  public static final List<String> TABLES =
      List.of(
          "hits_by_host",
          "hits_by_host_referrer",
          "hits_by_host_sliding",
          "sessions",
          "count_windows",
          "processed_events",
          "pipeline_batches",
          "pipeline_ledger",
          QualityRows.TABLE,
          ProgressTable.TABLE);

  private final PostgresConnections connections;
  private final PostgresTables tables;
  private final JobRolePrivileges privileges;
  private final BatchAccounting accounting;
  private final PostgresRetry retry;
  private final PostgresBatchCommit batchCommit;

  public PostgresSink(PostgresSettings settings, String jobName) {
    this.connections = new PostgresConnections(settings, jobName);
    this.privileges = new JobRolePrivileges(settings, connections);
    this.tables = new PostgresTables(settings, connections, privileges);
    this.accounting = new BatchAccounting(connections);
    this.retry = new PostgresRetry(settings);
    this.batchCommit = new PostgresBatchCommit(settings, connections, accounting, retry);
  }

  /**
   * What one batch brings to PostgreSQL: increments of the tumbling and sliding windows, the
   * sessions and count windows that changed, and (when events are upserted too) the clean events.
   */
  public record BatchRows(
      List<Row> hostWindows,
      List<Row> referrerWindows,
      List<Row> slidingWindows,
      WindowRows windows,
      Supplier<Iterator<Row>> events,
      List<CheckResult> quality,
      KafkaTimes kafkaTimes) {}

  /**
   * What a commit did: false when the ledger showed the batch committed before; the batch's latency
   * from Kafka timestamp to this commit (recorded in pipeline_batches).
   */
  public record Commit(boolean committed, KafkaTimes.Latency latency) {}

  /**
   * Creates the schema and tables that are missing, as the migration role ({@code
   * postgres.migrate-user}), and grants the job's role exactly what it needs on them. The job's own
   * role cannot do this: it may only read and write the rows of its tables.
   */
  public void createTablesIfMissing() {
    tables.createIfMissing();
  }

  /**
   * Stops the job at start, with what to do, when a table is missing or the job's role cannot write
   * it: with a separate migration role the job never creates tables itself.
   */
  public void requireTables() {
    privileges.require();
  }

  /**
   * Commits the batch, retrying with exponential backoff while PostgreSQL cannot be reached (a
   * restart, a failover). A retry after a lost COMMIT reply is safe: it finds the ledger row.
   * Returns whether it committed (false when the ledger shows the batch was committed before).
   */
  public Commit commit(
      String queryId,
      long batchId,
      BatchCounts counts,
      Watermarks watermarks,
      String dimensionsVersion,
      BatchRows rows) {
    return batchCommit.commit(queryId, batchId, counts, watermarks, dimensionsVersion, rows);
  }

  /**
   * Records, next to a committed batch's accounting, how many rows Spark's stateful operators
   * dropped behind the watermark (from the query's progress, known only after the batch).
   */
  public void recordDroppedByWatermark(String queryId, long batchId, long dropped) {
    accounting.recordDroppedByWatermark(queryId, batchId, dropped);
  }

  /**
   * Records a batch's check results on their own, outside any batch transaction: for a batch that a
   * check stops, so the reason is durable although nothing of the batch is committed.
   */
  @Override
  public void recordQuality(String queryId, long batchId, List<CheckResult> results) {
    try (Connection c = connect()) {
      QualityRows.upsert(c, schema(), connections.jobName(), queryId, batchId, results);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot record batch " + batchId + "'s data-quality results: " + e.getMessage(), e);
    }
  }

  /**
   * Records read by the latest batches of this query before {@code batchId} that read any, newest
   * first: what the volume check compares a batch with. Only committed batches are in the table, so
   * a replayed batch sees the same history as its first attempt.
   */
  @Override
  public List<Long> recentVolumes(String queryId, long batchId, int limit) {
    return retry.run(
        "read the volumes of the batches before batch " + batchId + " from",
        batchId,
        () -> accounting.recentVolumes(queryId, batchId, limit));
  }

  /** Where the data-quality results are, for messages. */
  @Override
  public String qualityTable() {
    return schema() + "." + QualityRows.TABLE;
  }

  String schema() {
    return connections.schema();
  }

  Connection connect() throws SQLException {
    return connections.connect();
  }
}
