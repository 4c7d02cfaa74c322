package io.webtraffic.enrich;

import io.webtraffic.config.PipelineConfig.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's current broadcast of the dimensions, reloaded at the start of the first micro-batch
 * after each refresh interval, without restarting the job.
 *
 * <p>Why per batch, in {@code foreachBatch}: a streaming query's plan is built once, so a lookup
 * placed in it would hold the first broadcast forever. {@code foreachBatch} builds each batch's
 * plan anew, so the lookup there reads whatever broadcast {@link #forBatch} hands it. The old
 * broadcast is unpersisted once replaced (batches run one after another, nothing uses it any more).
 *
 * <p>A reload that fails (PostgreSQL down, overlapping ranges written by hand) keeps the current
 * version and is retried at the next batch: stale dimensions for a while are better than a stopped
 * job. The very first load has nothing to fall back on, so it fails the start.
 *
 * <p>Replays: a batch re-run after a crash loads the dimensions as they are then, so if they
 * changed in between it may enrich differently than the first attempt did. The version used is
 * recorded per batch ({@code pipeline_batches.dimensions_version}) and logged at each load.
 */
public final class SideInputs {
  private static final Logger LOG = LoggerFactory.getLogger(SideInputs.class);

  private final Callable<Dimensions> loader;
  private final Duration refreshInterval;
  private final Clock clock;
  private Broadcast<Dimensions> current;
  private Instant loadedAt;

  public SideInputs(Callable<Dimensions> loader, Duration refreshInterval, Clock clock) {
    this.loader = loader;
    this.refreshInterval = refreshInterval;
    this.clock = clock;
  }

  /** Reads the dimension tables of the job's schema. */
  public static SideInputs fromPostgres(
      PostgresSettings settings, String jobName, Duration refreshInterval) {
    Callable<Dimensions> loader =
        () -> {
          Properties p = new Properties();
          p.setProperty("user", settings.user());
          settings.password().ifPresent(pw -> p.setProperty("password", pw.value()));
          p.setProperty("ApplicationName", jobName + "-dimensions");
          try (Connection c = DriverManager.getConnection(settings.url(), p)) {
            return DimensionTables.read(c, settings.schema());
          }
        };
    return new SideInputs(loader, refreshInterval, Clock.systemUTC());
  }

  /**
   * The dimensions for the batch about to be processed: the current broadcast, or a new one when
   * the refresh interval has passed since the last load.
   *
   * @throws IllegalStateException when nothing could ever be loaded
   */
  public synchronized Broadcast<Dimensions> forBatch(SparkSession spark, long batchId) {
    Instant now = clock.instant();
    if (current != null && now.isBefore(loadedAt.plus(refreshInterval))) {
      return current;
    }
    Dimensions loaded;
    try {
      loaded = loader.call();
    } catch (Exception e) {
      if (current == null) {
        throw new IllegalStateException("Cannot load the dimension tables: " + e.getMessage(), e);
      }
      LOG.warn(
          "Batch {}: cannot refresh the dimensions ({}); keeping version {}, retrying next batch",
          batchId,
          e.getMessage(),
          current.value().version());
      return current;
    }
    loadedAt = now;
    if (current != null && current.value().version().equals(loaded.version())) {
      LOG.info("Batch {}: dimensions unchanged (version {})", batchId, loaded.version());
      return current;
    }
    Broadcast<Dimensions> previous = current;
    current = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(loaded);
    LOG.info(
        "Batch {}: dimensions version {} loaded ({} IP ranges, {} hosts){}",
        batchId,
        loaded.version(),
        loaded.ipRanges().size(),
        loaded.hosts().size(),
        previous == null ? "" : ", replacing version " + previous.value().version());
    if (loaded.ipRanges().size() == 0 || loaded.hosts().isEmpty()) {
      LOG.warn(
          "Dimension tables are empty ({} IP ranges, {} hosts): enrichment yields 'unknown';"
              + " load them with scripts/pipeline dimensions load",
          loaded.ipRanges().size(),
          loaded.hosts().size());
    }
    if (previous != null) {
      previous.unpersist(false);
    }
    return current;
  }
}
