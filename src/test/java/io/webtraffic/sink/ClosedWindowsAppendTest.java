package io.webtraffic.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.TestPipeline;
import io.webtraffic.testing.TestSpark;
import io.webtraffic.window.WindowTotals;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed tumbling windows reach Iceberg once: on one checkpoint they are appended without reading
 * the table, and a second checkpoint over the same tables (a rewind, a new query) that closes some
 * of the same windows again appends only the ones the table lacks.
 */
@ExtendWith(SharedStack.class)
class ClosedWindowsAppendTest {
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path workDir;

  static Row window(int fiveMinuteIndex, String host, long hits) {
    Instant start = T0.plusSeconds(300L * fiveMinuteIndex);
    return RowFactory.create(
        Timestamp.from(start), Timestamp.from(start.plusSeconds(300)), host, hits);
  }

  static WindowTotals.Closed byHost(Row... rows) {
    return new WindowTotals.Closed(List.of(rows), List.of(), List.of());
  }

  @Test
  void aWindowClosedAgainByAnotherQueryIsNotWrittenTwice() {
    TestPipeline pipeline =
        new TestPipeline("closed_windows", SharedStack.endpoints(), workDir, Map.of());
    PipelineConfig config = pipeline.config();
    SparkSession spark = TestSpark.session();
    new IcebergTables(config.iceberg()).createIfMissing(spark);
    IcebergSink sink = new IcebergSink(config.iceberg());

    // The first query closes windows 0 and 1 in batch 0, and window 2 in batch 1.
    assertEquals(
        2,
        sink.commitClosedWindows(spark, byHost(window(0, "a", 3), window(1, "a", 4)), "query-1", 0)
            .hostWindows());
    assertEquals(
        1, sink.commitClosedWindows(spark, byHost(window(2, "a", 5)), "query-1", 1).hostWindows());
    // Its batch 1 replayed: skipped by the batch's commit mark.
    assertEquals(
        0, sink.commitClosedWindows(spark, byHost(window(2, "a", 5)), "query-1", 1).hostWindows());
    // A second query closes windows 1 to 3 and another host's window 1: only the two new ones.
    assertEquals(
        2,
        sink.commitClosedWindows(
                spark,
                byHost(window(1, "a", 4), window(2, "a", 5), window(3, "a", 6), window(1, "b", 7)),
                "query-2",
                0)
            .hostWindows());

    assertEquals(
        List.of("a 0 3", "a 1 4", "a 2 5", "a 3 6", "b 1 7"),
        spark
            .sql(
                "SELECT host, (unix_timestamp(window_start) - "
                    + T0.getEpochSecond()
                    + ") DIV 300 AS w, hits FROM "
                    + pipeline.table("hits_by_host")
                    + " ORDER BY host, w")
            .collectAsList()
            .stream()
            .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2))
            .toList());
  }
}
