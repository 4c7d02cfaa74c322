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
 *
 * <p>Installed before Spark starts, so a signal while the job is still starting is a stop request
 * too ({@link #requested}), not the JVM's default exit. The query is stopped at the first moment no
 * batch runs, so every batch Spark planned is committed and a restart replays none (a job that is
 * behind, with no pause between batches, is stopped inside one after the grace period). {@link
 * #awaitStopped} waits for the thread that stops the query: it must be done with the query before
 * the caller stops the SparkContext (else it races it: "Cannot call methods on a stopped
 * SparkContext").
 */
public final class GracefulStop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
  static final Duration GRACE = Duration.ofMinutes(5);
  private static final long POLL_MS = 50;

  /** Beyond the grace period: query.stop() itself waits for the stream thread to end. */
  private static final Duration JOIN_SLACK = Duration.ofSeconds(30);

  private final StopSignals signals;
  private StreamingQuery query;
  private Thread stopper;
  private boolean finished;

  private GracefulStop() {
    this.signals = StopSignals.install(this::onFirstSignal);
  }

  /** Handles SIGINT and SIGTERM from now on, until {@link #close}. */
  public static GracefulStop install() {
    return new GracefulStop();
  }

  /** Whether a stop was requested, e.g. while the job was starting. */
  public boolean requested() {
    return signals.requested();
  }

  /** The query a stop request ends; a request made before is carried out now. */
  public synchronized void watch(StreamingQuery started) {
    this.query = started;
    if (signals.requested()) {
      startStopper();
    }
  }

  /**
   * Waits for the thread that stops the query, and starts none after: from here on the caller may
   * stop the SparkContext. A signal from now until {@link #close} changes nothing.
   */
  public void awaitStopped() throws InterruptedException {
    Thread running;
    synchronized (this) {
      finished = true;
      running = stopper;
    }
    if (running != null) {
      running.join(GRACE.plus(JOIN_SLACK).toMillis());
    }
  }

  /** Gives the signals back to the JVM: a signal now ends the process. */
  @Override
  public void close() {
    signals.close();
  }

  private synchronized void onFirstSignal() {
    if (query == null) {
      LOG.info(
          "Stop requested while the job is starting: it stops once Spark is up (Ctrl-C again to"
              + " abort)");
      return;
    }
    startStopper();
  }

  private void startStopper() {
    if (stopper == null && !finished && query != null) {
      StreamingQuery q = query;
      stopper = new Thread(() -> stopBetweenBatches(q), "graceful-stop");
      stopper.start();
    }
  }

  private void stopBetweenBatches(StreamingQuery q) {
    LOG.info(
        "Stopping after the current micro-batch (at most {} s; Ctrl-C again to abort)",
        GRACE.toSeconds());
    long deadline = System.nanoTime() + GRACE.toNanos();
    try {
      while (q.isActive() && q.status().isTriggerActive() && System.nanoTime() < deadline) {
        synchronized (q) {
          q.wait(POLL_MS);
        }
      }
      q.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("The query did not stop in time: {}", e.getMessage());
    }
  }
}
