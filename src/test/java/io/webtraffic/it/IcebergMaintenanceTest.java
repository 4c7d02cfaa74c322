package io.webtraffic.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.local.SharedStack;
import io.webtraffic.maintain.Maintenance;
import io.webtraffic.maintain.TableReport;
import io.webtraffic.sink.IcebergAppend;
import io.webtraffic.sink.IcebergTables;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance on a table written the way the job writes it: many tiny appends, each a snapshot
 * carrying the query and batch id, into two closed hours and one open hour.
 */
@ExtendWith(SharedStack.class)
class IcebergMaintenanceTest {
  static final int BATCHES = 60;
  static final Instant HOUR_0 =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
  static final Instant HOUR_1 = HOUR_0.plus(Duration.ofHours(1));
  static final Instant OPEN_HOUR = HOUR_0.plus(Duration.ofHours(2));

  @TempDir Path workDir;

  @Test
  void manySmallBatchesCompactToOneFilePerClosedHourWithTheSameRowsAndHistoryTrimmed()
      throws Exception {
    TestPipeline pipeline =
        new TestPipeline(
            "maint",
            SharedStack.endpoints(),
            workDir,
            Map.of(
                "event-time.watermark-delay", "1 minute",
                "maintenance.closed-margin", "1 minute",
                "maintenance.snapshot-retention", "1 ms",
                "maintenance.min-snapshots", "5"));
    SparkSession spark = TestSpark.session();
    new IcebergTables(pipeline.config().iceberg()).createIfMissing(spark);
    String events = pipeline.table(IcebergTables.EVENTS);
    // Each batch: one event in each closed hour; every 10th batch also one in the open hour.
    long openRows = 0;
    for (int b = 0; b < BATCHES; b++) {
      List<String> rows = new ArrayList<>();
      rows.add(row(HOUR_0.plusSeconds(10 + b), "a.io", b, 0));
      rows.add(row(HOUR_1.plusSeconds(10 + b), "b.io", b, 1));
      if (b % 10 == 0) {
        rows.add(row(OPEN_HOUR.plus(Duration.ofMinutes(30)), "c.io", b, 2));
        openRows++;
      }
      new IcebergAppend(events)
          .append(spark.sql("SELECT * FROM VALUES " + String.join(", ", rows) + COLUMNS), "q", b);
    }
    long totalRows = 2L * BATCHES + openRows;
    Table table = Spark3Util.loadIcebergTable(spark, events);
    List<Snapshot> history = snapshots(table);
    Snapshot first = history.get(0);
    String perHour =
        "SELECT date_trunc('hour', event_time), host, count(*), sum(kafka_offset) FROM "
            + events
            + " GROUP BY 1, 2 ORDER BY 1, 2";
    // Independent expectation: offsets 0..59 in each closed hour, every tenth batch in the open.
    List<String> expected =
        List.of(
            line(HOUR_0, "a.io", BATCHES, (long) BATCHES * (BATCHES - 1) / 2),
            line(HOUR_1, "b.io", BATCHES, (long) BATCHES * (BATCHES - 1) / 2),
            line(OPEN_HOUR, "c.io", openRows, 10L * openRows * (openRows - 1) / 2));
    assertEquals(expected, lines(spark.sql(perHour).collectAsList()));
    Planning before = Planning.measure(spark, table, events);
    Path data = Path.of(table.location().replaceFirst("^file:", ""), "data");
    Path oldOrphan = Files.writeString(data.resolve("orphan-old.parquet"), "left by a dead writer");
    Files.setLastModifiedTime(oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
    Path youngOrphan = Files.writeString(data.resolve("orphan-young.parquet"), "in progress");

    TableReport report = eventsReport(new Maintenance(pipeline.config()).run(spark));
    System.out.println("[maint] " + report);

    assertEquals(
        2L * BATCHES + openRows, report.before().dataFiles(), "one file per hour a batch wrote");
    assertEquals(2 + openRows, report.after().dataFiles(), "closed hours down to one file each");
    assertEquals(2L * BATCHES, report.filesCompacted());
    assertEquals(totalRows, report.after().records());
    assertEquals(expected, lines(spark.sql(perHour).collectAsList()), "same rows after");
    assertEquals(1, report.orphansRemoved());
    assertFalse(Files.exists(oldOrphan));
    assertTrue(Files.exists(youngOrphan), "younger than the safety margin: kept");
    List<Snapshot> kept = snapshots(table);
    assertEquals(5, kept.size(), "min-snapshots kept, older ones expired");
    assertTrue(kept.stream().noneMatch(s -> s.snapshotId() == first.snapshotId()));
    // The job's last commit is still in the history, so a replay of batch 99 is still skipped.
    assertEquals(BATCHES - 1, new IcebergAppend(events).lastCommittedBatch(spark, "q"));
    // Time travel to the oldest kept snapshot: a job commit whose batch id gives the rows it saw.
    Snapshot oldest = kept.get(0);
    long batch = Long.parseLong(oldest.summary().get("pipeline.batch-id"));
    assertEquals(
        2 * (batch + 1) + (batch / 10 + 1),
        spark
            .sql("SELECT count(*) FROM " + events + " VERSION AS OF " + oldest.snapshotId())
            .first()
            .getLong(0));
    Planning after = Planning.measure(spark, table, events);
    System.out.printf(
        "[maint] planning of count(*): %s before, %s after; files %d -> %d, snapshots %d -> %d,"
            + " manifests %d -> %d%n",
        before,
        after,
        report.before().dataFiles(),
        report.after().dataFiles(),
        report.before().snapshots(),
        report.after().snapshots(),
        report.before().manifests(),
        report.after().manifests());

    TableReport again = eventsReport(new Maintenance(pipeline.config()).run(spark));
    assertEquals(0, again.filesCompacted(), "nothing left to compact");
    assertEquals(report.after().dataFiles(), again.after().dataFiles());
  }

  static final String COLUMNS =
      " AS t(dedup_key, event_time, url, referrer, host, ip, user_agent, ua_family, ua_major,"
          + " device_family, os_family, headers, user_id, academy_id, event_id, payload,"
          + " kafka_partition, kafka_offset, kafka_timestamp, batch_id, country, state, city,"
          + " site_name, owner, environment)";

  static String row(Instant time, String host, long offset, int partition) {
    String t = "TIMESTAMP '" + time.toString().replace("T", " ").replace("Z", "") + "'";
    return String.format(
        "('k-%d-%d', %s, '/', NULL, '%s', '10.0.0.1', NULL, 'Chrome', '1', 'Other', 'Linux',"
            + " '{}', NULL, NULL, NULL, '{}', %d, CAST(%d AS BIGINT), %s, CAST(%d AS BIGINT),"
            + " 'unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown')",
        partition, offset, t, host, partition, offset, t, offset);
  }

  static String line(Instant hour, String host, long rows, long offsets) {
    return hour + " " + host + " " + rows + " " + offsets;
  }

  static List<String> lines(List<Row> rows) {
    return rows.stream()
        .map(r -> line(r.getTimestamp(0).toInstant(), r.getString(1), r.getLong(2), r.getLong(3)))
        .toList();
  }

  static List<Snapshot> snapshots(Table table) {
    table.refresh();
    return StreamSupport.stream(table.snapshots().spliterator(), false)
        .sorted(java.util.Comparator.comparingLong(Snapshot::sequenceNumber))
        .toList();
  }

  static TableReport eventsReport(List<TableReport> reports) {
    TableReport r =
        reports.stream()
            .filter(t -> t.table().endsWith("." + IcebergTables.EVENTS))
            .findFirst()
            .orElse(null);
    assertNotNull(r, reports.toString());
    return r;
  }

  /** Median wall time of planning a count(*) (Iceberg's file planning, and the whole query). */
  record Planning(long planFilesMicros, long countQueryMillis) {
    static Planning measure(SparkSession spark, Table table, String name) throws Exception {
      long[] plan = new long[5];
      long[] query = new long[5];
      for (int i = 0; i < 5; i++) {
        table.refresh();
        long t0 = System.nanoTime();
        try (var tasks = table.newScan().planFiles()) {
          tasks.forEach(t -> {});
        }
        plan[i] = (System.nanoTime() - t0) / 1000;
        long t1 = System.nanoTime();
        spark.sql("SELECT count(*) FROM " + name).collectAsList();
        query[i] = (System.nanoTime() - t1) / 1_000_000;
      }
      java.util.Arrays.sort(plan);
      java.util.Arrays.sort(query);
      return new Planning(plan[2], query[2]);
    }

    @Override
    public String toString() {
      return String.format(
          "file planning %.1f ms, count(*) query %d ms",
          planFilesMicros / 1000.0, countQueryMillis);
    }
  }
}
