package io.webtraffic.maintain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.when;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.sink.IcebergTables;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.expressions.Window;

/**
 * Removes the duplicates the streaming deduplication cannot see: copies of an event (same dedup
 * key) that arrived further apart than the watermark, after the first copy's state was evicted.
 * Within the closed hours asked for, the copy that reached Kafka first (timestamp, then partition
 * and offset) is kept, and the partitions are rewritten with their other rows unchanged. A run that
 * finds no duplicate writes nothing, so running it again changes nothing.
 *
 * <p>The rewrite reads one snapshot and commits only if no other commit added or removed rows of
 * those partitions since (serializable isolation); otherwise it is planned again.
 */
public final class Reconcile {
  static final String RECONCILED = "pipeline.reconciled";

  private final PipelineConfig config;

  public Reconcile(PipelineConfig config) {
    this.config = config;
  }

  /** One hour's outcome. */
  public record HourReport(Instant hour, long rows, long duplicatesRemoved) {
    @Override
    public String toString() {
      return String.format("%s: %d rows, %d duplicates removed", hour, rows, duplicatesRemoved);
    }
  }

  /** Reconciles the hours in [from, to), each rounded down to its hour. */
  public List<HourReport> run(SparkSession spark, Instant from, Instant to) {
    Instant first = from.truncatedTo(ChronoUnit.HOURS);
    Instant end = to.truncatedTo(ChronoUnit.HOURS);
    if (!end.isAfter(first)) {
      throw new IllegalArgumentException(
          "Invalid range: " + from + " to " + to + " holds no whole hour (the end is exclusive)");
    }
    ChronoUnit unit =
        config.iceberg().partitionBy().equals("day") ? ChronoUnit.DAYS : ChronoUnit.HOURS;
    // Whole partitions are rewritten: with day partitions, the days around the hours.
    Instant partitionsFrom = first.truncatedTo(unit);
    Instant partitionsTo =
        end.truncatedTo(unit).equals(end) ? end : end.truncatedTo(unit).plus(1, unit);
    ClosedPartitions closed = ClosedPartitions.of(spark, config);
    if (partitionsTo.isAfter(closed.closedBefore(unit))) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot reconcile up to %s: only partitions before %s are closed (watermark %s minus"
                  + " pipeline.maintenance.closed-margin %s); the job may still write there",
              partitionsTo,
              closed.closedBefore(unit),
              closed.watermark().map(Instant::toString).orElse("none yet"),
              closed.margin()));
    }
    RetryPolicy<List<HourReport>> conflicts =
        RetryPolicy.<List<HourReport>>builder()
            .handleIf(Maintenance::isCommitConflict)
            .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(10))
            .withMaxAttempts(5)
            .build();
    return Failsafe.with(conflicts)
        .get(() -> once(spark, first, end, partitionsFrom, partitionsTo));
  }

  private List<HourReport> once(
      SparkSession spark,
      Instant first,
      Instant end,
      Instant partitionsFrom,
      Instant partitionsTo) {
    String name = config.iceberg().table(IcebergTables.EVENTS);
    Table table = Maintenance.load(spark, name);
    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    Map<Instant, long[]> hours = new TreeMap<>();
    for (Instant h = first; h.isBefore(end); h = h.plus(1, ChronoUnit.HOURS)) {
      hours.put(h, new long[2]);
    }
    if (snapshot == null) {
      return reports(hours);
    }
    Dataset<Row> partitions =
        spark
            .read()
            .format("iceberg")
            .option("snapshot-id", snapshot.snapshotId())
            .load(name)
            .where(between(partitionsFrom, partitionsTo));
    // Only rows of the hours asked for are compared; other rows of the partitions stay as they are.
    Column inHours = between(first, end);
    Dataset<Row> ranked =
        partitions.withColumn(
            "copy",
            when(
                    inHours,
                    row_number()
                        .over(
                            Window.partitionBy(col("dedup_key"), inHours)
                                .orderBy(
                                    col("kafka_timestamp"),
                                    col("kafka_partition"),
                                    col("kafka_offset"),
                                    col("batch_id"))))
                .otherwise(lit(1)));
    for (Row r :
        ranked
            .where(inHours)
            .groupBy(date_trunc("hour", col("event_time")).as("hour"))
            .agg(count(lit(1)), sum(when(col("copy").gt(1), 1).otherwise(0)))
            .collectAsList()) {
      long[] counts = hours.get(r.getTimestamp(0).toInstant());
      counts[0] = r.getLong(1);
      counts[1] = r.getLong(2);
    }
    long duplicates = hours.values().stream().mapToLong(c -> c[1]).sum();
    if (duplicates > 0) {
      try {
        ranked
            .where(col("copy").equalTo(1))
            .drop("copy")
            .writeTo(name)
            .option("validate-from-snapshot-id", String.valueOf(snapshot.snapshotId()))
            .option("isolation-level", "serializable")
            .option("snapshot-property." + RECONCILED, first + "/" + end)
            .overwritePartitions();
      } catch (NoSuchTableException e) {
        throw new IllegalStateException("Cannot reconcile " + name + ": table is missing", e);
      }
    }
    return reports(hours);
  }

  private static Column between(Instant from, Instant to) {
    return col("event_time")
        .geq(timestamp_millis(lit(from.toEpochMilli())))
        .and(col("event_time").lt(timestamp_millis(lit(to.toEpochMilli()))));
  }

  private static List<HourReport> reports(Map<Instant, long[]> hours) {
    List<HourReport> reports = new ArrayList<>();
    hours.forEach((h, c) -> reports.add(new HourReport(h, c[0], c[1])));
    return reports;
  }
}
