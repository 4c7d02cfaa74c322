package io.webtraffic.sink;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.batch.Watermarks;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import io.webtraffic.sink.PostgresSink.BatchRows;
import io.webtraffic.sink.PostgresSink.Commit;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch's PostgreSQL transaction: ledger check, window and event merges, accounting row,
 * quality results and ledger row, committed together so that a batch is applied exactly once;
 * retried while PostgreSQL cannot be reached.
 */
final class PostgresBatchCommit {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresBatchCommit.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final PostgresSettings settings;
  private final PostgresConnections connections;
  private final BatchAccounting accounting;

  PostgresBatchCommit(
      PostgresSettings settings, PostgresConnections connections, BatchAccounting accounting) {
    this.settings = settings;
    this.connections = connections;
    this.accounting = accounting;
  }

  /** See {@link PostgresSink#commit}. */
  Commit commit(
      String queryId,
      long batchId,
      BatchCounts counts,
      Watermarks watermarks,
      String dimensionsVersion,
      BatchRows rows) {
    RetryPolicy<Commit> retries =
        RetryPolicy.<Commit>builder()
            .handleIf(PostgresBatchCommit::isUnavailable)
            .withBackoff(
                settings.retryBackoff(),
                MAX_BACKOFF.compareTo(settings.retryBackoff()) > 0
                    ? MAX_BACKOFF
                    : settings.retryBackoff())
            .withMaxRetries(settings.commitRetries())
            .onRetryScheduled(
                e ->
                    LOG.warn(
                        "Batch {}: PostgreSQL at {} unavailable ({}); retry {} of {} in {} ms",
                        batchId,
                        settings.url(),
                        e.getLastException().getMessage(),
                        e.getAttemptCount(),
                        settings.commitRetries(),
                        e.getDelay().toMillis()))
            .build();
    try {
      return Failsafe.with(retries)
          .get(() -> commitOnce(queryId, batchId, counts, watermarks, dimensionsVersion, rows));
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "Cannot commit batch "
              + batchId
              + " to PostgreSQL at "
              + settings.url()
              + (isUnavailable(cause) ? " after " + settings.commitRetries() + " retries" : "")
              + ": "
              + cause.getMessage(),
          cause);
    }
  }

  /** Connection failures and server shutdowns: worth waiting for, unlike a bad statement. */
  static boolean isUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException) {
        return true;
      }
    }
    return false;
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
