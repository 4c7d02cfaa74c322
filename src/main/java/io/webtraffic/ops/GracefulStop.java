package io.webtraffic.ops;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C and SIGTERM stop the query between micro-batches instead of killing it inside one; a
 * second signal stops the JVM at once. A batch interrupted anyway (second signal, or a batch longer
 * than the grace period) is safe: its sinks are idempotent and Spark re-runs it on restart.
 */
public final class GracefulStop {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
  static final Duration GRACE = Duration.ofMinutes(5);
  private static final long POLL_MS = 50;

  private GracefulStop() {}

  public static StopSignals onSignals(StreamingQuery query) {
    return StopSignals.install(
        () -> new Thread(() -> stopBetweenBatches(query), "graceful-stop").start());
  }

  static void stopBetweenBatches(StreamingQuery query) {
    LOG.info(
        "Stopping after the current micro-batch (at most {} s; Ctrl-C again to abort)",
        GRACE.toSeconds());
    long deadline = System.nanoTime() + GRACE.toNanos();
    try {
      while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
        synchronized (query) {
          query.wait(POLL_MS);
        }
      }
      query.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("The query did not stop in time: {}", e.getMessage());
    }
  }
}
