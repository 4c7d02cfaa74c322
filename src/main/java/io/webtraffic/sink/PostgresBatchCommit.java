package io.webtraffic.sink;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.batch.Watermarks;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.sink.PostgresSink.BatchRows;
import io.webtraffic.sink.PostgresSink.Commit;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One batch's PostgreSQL transaction: ledger check, window and event merges, accounting row,
 * quality results and ledger row, committed together so that a batch is applied exactly once;
 * retried while PostgreSQL cannot be reached.
 */
final class PostgresBatchCommit {
  private final PostgresSettings settings;
  private final PostgresConnections connections;
  private final BatchAccounting accounting;
  private final PostgresRetry retry;

  PostgresBatchCommit(
      PostgresSettings settings,
      PostgresConnections connections,
      BatchAccounting accounting,
      PostgresRetry retry) {
    this.settings = settings;
    this.connections = connections;
    this.accounting = accounting;
    this.retry = retry;
  }

  /** See {@link PostgresSink#commit}. */
  Commit commit(
      String queryId,
      long batchId,
      BatchCounts counts,
      Watermarks watermarks,
      String dimensionsVersion,
      BatchRows rows) {
    return retry.run(
        "commit batch " + batchId + " to",
        batchId,
        () -> commitOnce(queryId, batchId, counts, watermarks, dimensionsVersion, rows));
  }

  private Commit commitOnce(
      String queryId,
      long batchId,
      BatchCounts counts,
      Watermarks watermarks,
      String dimensionsVersion,
      BatchRows rows)
      throws SQLException, IOException {
    String schema = settings.schema();
    try (Connection c = connections.connect()) {
      c.setAutoCommit(false);
      try {
        if (PostgresLedger.alreadyCommitted(c, schema, queryId, batchId)) {
          c.rollback();
          return new Commit(false, KafkaTimes.Latency.NONE);
        }
        WindowMerge.merge(c, schema, rows, batchId);
        if (rows.events() != null) {
          EventsMerge.merge(c, schema, rows.events().get(), batchId);
        }
        KafkaTimes.Latency latency =
            accounting.insert(
                c, queryId, batchId, counts, watermarks, dimensionsVersion, rows.kafkaTimes());
        QualityRows.upsert(c, schema, connections.jobName(), queryId, batchId, rows.quality());
        PostgresLedger.record(c, schema, queryId, batchId);
        c.commit();
        return new Commit(true, latency);
      } catch (SQLException | IOException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      }
    }
  }
}
