package io.webtraffic.maintain;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.config.PipelineConfig.MaintenanceSettings;
import io.webtraffic.sink.IcebergTables;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping of every table of the job, beside a running job: compact closed partitions, rewrite
 * manifests, expire snapshots, remove orphan files, in that order (so the files compaction replaced
 * go with the snapshots that expire). A step that loses a commit race with the job is planned again
 * and retried; the job's own appends never conflict with it (they add files, the compaction
 * replaces files of partitions the job no longer writes).
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  private static final int ATTEMPTS = 5;

  private final PipelineConfig config;

  public Maintenance(PipelineConfig config) {
    this.config = config;
  }

  public List<TableReport> run(SparkSession spark) {
    ClosedPartitions closed = ClosedPartitions.of(spark, config);
    List<TableReport> reports = new ArrayList<>();
    for (String name : IcebergTables.ALL) {
      String table = config.iceberg().table(name);
      if (spark.catalog().tableExists(table)) {
        reports.add(maintain(spark, name, table, closed));
      }
    }
    return reports;
  }

  private TableReport maintain(
      SparkSession spark, String name, String table, ClosedPartitions closed) {
    MaintenanceSettings m = config.maintenance();
    AtomicInteger retries = new AtomicInteger();
    Table iceberg = load(spark, table);
    TableState before = TableState.of(iceberg);
    ChronoUnit unit =
        name.equals(IcebergTables.EVENTS) && config.iceberg().partitionBy().equals("hour")
            ? ChronoUnit.HOURS
            : ChronoUnit.DAYS;
    CompactClosedPartitions.Result compacted =
        retrying(
            table,
            retries,
            () ->
                CompactClosedPartitions.run(
                    spark, iceberg, closed.filter(IcebergTables.TIME_COLUMN.get(name), unit)));
    RewriteManifests.Result manifests =
        retrying(table, retries, () -> RewriteManifests.run(spark, iceberg));
    int snapshotsBeforeExpiry = TableState.of(iceberg).snapshots();
    ExpireSnapshots.Result expired =
        retrying(
            table,
            retries,
            () -> ExpireSnapshots.run(spark, iceberg, m.snapshotRetention(), m.minSnapshots()));
    TableState afterExpiry = TableState.of(iceberg);
    int orphans = RemoveOrphans.run(spark, iceberg, m.orphanAge());
    TableState after = TableState.of(iceberg);
    return new TableReport(
        table,
        closed.closedBefore(unit).toString(),
        before,
        after,
        compacted.rewritten(),
        compacted.written(),
        manifests.rewritten(),
        manifests.written(),
        snapshotsBeforeExpiry - afterExpiry.snapshots(),
        expired.dataFilesDeleted(),
        orphans,
        retries.get());
  }

  private static <T> T retrying(String table, AtomicInteger retries, Supplier<T> step) {
    RetryPolicy<T> policy =
        RetryPolicy.<T>builder()
            .handleIf(Maintenance::isCommitConflict)
            .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(10))
            .withMaxAttempts(ATTEMPTS)
            .onRetry(
                e -> {
                  retries.incrementAndGet();
                  LOG.info("Retrying maintenance of {} after a commit conflict", table);
                })
            .build();
    return Failsafe.with(policy).get(step::get);
  }

  /** Lost a race with another commit: planning again on the new table state resolves it. */
  static boolean isCommitConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CommitFailedException || t instanceof ValidationException) {
        return true;
      }
    }
    return false;
  }

  static Table load(SparkSession spark, String table) {
    try {
      return Spark3Util.loadIcebergTable(spark, table);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot load Iceberg table " + table + ": " + e.getMessage(), e);
    }
  }
}
