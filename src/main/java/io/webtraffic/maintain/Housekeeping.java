package io.webtraffic.maintain;

import io.webtraffic.config.PipelineConfig;
import java.util.function.BiConsumer;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance run by the job itself every N batches, for users without a separate schedule. It runs
 * after the batch's commits, so a failure (a conflict beyond the retries, a full disk) is logged
 * and the batch stands; the next round tries again.
 */
public final class Housekeeping implements BiConsumer<SparkSession, Long> {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

  private final PipelineConfig config;

  private Housekeeping(PipelineConfig config) {
    this.config = config;
  }

  /** The job's housekeeping, or nothing when maintenance.every-batches is 0. */
  public static BiConsumer<SparkSession, Long> of(PipelineConfig config) {
    return config.maintenance().everyBatches() == 0
        ? (spark, batch) -> {}
        : new Housekeeping(config);
  }

  @Override
  public void accept(SparkSession spark, Long batchId) {
    if ((batchId + 1) % config.maintenance().everyBatches() != 0) {
      return;
    }
    try {
      new Maintenance(config)
          .run(spark)
          .forEach(r -> LOG.info("Housekeeping after batch {}: {}", batchId, r));
    } catch (RuntimeException e) {
      LOG.warn(
          "Housekeeping after batch {} failed; the batch is committed, the next round retries: {}",
          batchId,
          e.toString());
    }
  }
}
