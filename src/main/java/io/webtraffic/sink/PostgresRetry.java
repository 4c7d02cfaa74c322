package io.webtraffic.sink;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.webtraffic.config.PipelineConfig.PostgresSettings;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch's PostgreSQL step, retried with backoff while the server cannot be reached: every step a
 * batch needs before it can commit (reading earlier volumes for the quality gate, the commit
 * itself) rides out the same outage, and one longer than the retries stops the job with the same
 * message.
 */
final class PostgresRetry {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresRetry.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final PostgresSettings settings;

  PostgresRetry(PostgresSettings settings) {
    this.settings = settings;
  }

  /**
   * @param what the step, completed by "PostgreSQL at url": e.g. "commit batch 3 to"
   */
  <T> T run(String what, long batchId, CheckedSupplier<T> step) {
    RetryPolicy<T> retries =
        RetryPolicy.<T>builder()
            .handleIf(PostgresRetry::isUnavailable)
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
      return Failsafe.with(retries).get(step);
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "Cannot "
              + what
              + " PostgreSQL at "
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
}
