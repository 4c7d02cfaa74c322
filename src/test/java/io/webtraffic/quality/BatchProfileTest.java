package io.webtraffic.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The one aggregation behind the checks and the latency, on five hand-made classified rows. */
class BatchProfileTest {
  static final Instant KAFKA = Instant.parse("2026-11-20T10:00:00Z");

  static final StructType SCHEMA =
      new StructType()
          .add("url", DataTypes.StringType)
          .add("host", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("kafka_timestamp", DataTypes.TimestampType)
          .add("dead_reason", DataTypes.StringType);

  static Row row(String url, String host, Instant eventTime, int kafkaPlusSeconds, String dead) {
    return RowFactory.create(
        url,
        host,
        eventTime == null ? null : Timestamp.from(eventTime),
        Timestamp.from(KAFKA.plusSeconds(kafkaPlusSeconds)),
        dead);
  }

  @Test
  void countsNullsPerFieldSkewOfUsableRecordsAndKafkaTimePercentiles() {
    Dataset<Row> classified =
        TestSpark.session()
            .createDataFrame(
                List.of(
                    // usable, 10 s between event time and Kafka time
                    row("/a", "h", KAFKA.minusSeconds(10), 0, null),
                    // dead: its 21 s do not count
                    row(null, null, KAFKA.minusSeconds(20), 1, "missing_field:url"),
                    // dead, no event time
                    row("/a", null, null, 2, "malformed_json"),
                    // usable, 8 s
                    row("/a", "h", KAFKA.minusSeconds(5), 3, null),
                    // usable, event time 26 s ahead of Kafka time (inside the allowed skew)
                    row("/a", "h", KAFKA.plusSeconds(30), 4, null)),
                SCHEMA);

    BatchProfile p = BatchProfile.of(classified, List.of("url", "host"));

    assertEquals(5, p.read());
    assertEquals(Map.of("url", 1L, "host", 2L), p.nullsByField());
    // p99 of {10, 8, 26} s is the largest.
    assertEquals(26.0, p.skewP99Seconds().getAsDouble(), 1e-9);
    long k = KAFKA.toEpochMilli();
    // Kafka times K..K+4 s: minimum and 1st, 5th percentiles K, median K+2 s.
    assertEquals(new KafkaTimes(k, k, k, k + 2000), p.kafka());
    // Latency at commit K+10 s: median 8 s, p95 and p99 and max 10 s.
    assertEquals(
        new KafkaTimes.Latency(8000, 10_000, 10_000, 10_000), p.kafka().latencyAt(k + 10_000));
  }

  @Test
  void anEmptyBatchHasNoSkewAndNoKafkaTimes() {
    BatchProfile p =
        BatchProfile.of(
            TestSpark.session().createDataFrame(List.of(), SCHEMA), List.of("url", "host"));

    assertEquals(0, p.read());
    assertEquals(Map.of("url", 0L, "host", 0L), p.nullsByField());
    assertTrue(p.skewP99Seconds().isEmpty());
    assertEquals(KafkaTimes.NONE, p.kafka());
    assertTrue(!p.kafka().latencyAt(0).known());
  }
}
