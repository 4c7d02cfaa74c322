package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ClassifyTest {
  static final Instant WATERMARK = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant ONE_MS_AFTER = WATERMARK.plusMillis(1);
  static final Instant ONE_MINUTE_BEFORE = WATERMARK.minusSeconds(60);

  static final StructType INPUT =
      new StructType()
          .add("kafka_partition", DataTypes.IntegerType)
          .add("kafka_offset", DataTypes.LongType)
          .add("event_time", DataTypes.TimestampType)
          .add("dead_reason", DataTypes.StringType)
          .add("filter_reason", DataTypes.StringType);
  static final StructType KEPT =
      new StructType()
          .add("kafka_partition", DataTypes.IntegerType)
          .add("kafka_offset", DataTypes.LongType);

  static Row in(long offset, Instant time, String dead, String filtered) {
    return RowFactory.create(0, offset, time == null ? null : Timestamp.from(time), dead, filtered);
  }

  @Test
  void everyRecordGetsExactlyOneOutcome() {
    Dataset<Row> input =
        TestSpark.session()
            .createDataFrame(
                List.of(
                    in(0, ONE_MS_AFTER, null, null), // kept by dedup: an event
                    in(1, ONE_MS_AFTER, null, null), // not kept, not late: a duplicate
                    in(2, WATERMARK, null, null), // exactly at the watermark: late (Spark drops <=)
                    in(3, ONE_MINUTE_BEFORE, null, null), // behind the watermark: late
                    in(4, null, "malformed_json", null), // kept (passes dedup) but dead
                    in(5, ONE_MS_AFTER, null, "bot")), // kept but filtered
                INPUT);
    Dataset<Row> kept =
        TestSpark.session()
            .createDataFrame(
                List.of(
                    RowFactory.create(0, 0L), RowFactory.create(0, 4L), RowFactory.create(0, 5L)),
                KEPT);
    List<Row> rows =
        Classify.apply(input, kept, WATERMARK.toEpochMilli())
            .orderBy("kafka_offset")
            .collectAsList();
    assertEquals(
        List.of("event", "duplicate", "late", "late", "dead", "filtered"),
        rows.stream().map(r -> r.<String>getAs("outcome")).toList());
  }
}
