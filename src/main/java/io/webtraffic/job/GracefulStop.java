package io.webtraffic.job;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM stop the query between micro-batches instead of killing it inside one. A batch
 * interrupted anyway (a second signal, or a batch longer than the grace period) is safe: its sinks
 * are idempotent and Spark re-runs it on restart.
 */
public final class GracefulStop {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
  static final Duration GRACE = Duration.ofMinutes(5);

  private GracefulStop() {}

  public static void onSignals(StreamingQuery query) {
    Runnable stop = () -> new Thread(() -> stopBetweenBatches(query), "graceful-stop").start();
    Signal.handle(new Signal("TERM"), s -> stop.run());
    Signal.handle(new Signal("INT"), s -> stop.run());
  }

  static void stopBetweenBatches(StreamingQuery query) {
    LOG.info("Stopping after the current micro-batch (at most {} s)", GRACE.toSeconds());
    long deadline = System.nanoTime() + GRACE.toNanos();
    try {
      while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
        synchronized (query) {
          query.wait(50);
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
