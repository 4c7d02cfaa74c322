package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.webtraffic.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class DecodeTest {
  static final Instant KAFKA_TIME = Instant.parse("2026-11-20T10:16:00Z");
  static final StructType KAFKA =
      new StructType()
          .add("key", DataTypes.BinaryType)
          .add("value", DataTypes.BinaryType)
          .add("topic", DataTypes.StringType)
          .add("partition", DataTypes.IntegerType)
          .add("offset", DataTypes.LongType)
          .add("timestamp", DataTypes.TimestampType);

  static final String OLD_PRODUCER =
      "{\"url\":\"/\",\"referrer\":null,"
          + "\"user_agent\":\"{\\\"family\\\":\\\"Chrome\\\",\\\"major\\\":\\\"131\\\"}\","
          + "\"headers\":\"{\\\"host\\\":\\\"www.example-academy.io\\\"}\","
          + "\"host\":\"www.example-academy.io\",\"ip\":\"203.0.113.7\","
          + "\"event_time\":\"2026-11-20T10:15:30.123Z\"}";
  static final String NEW_PRODUCER =
      "{\"url\":\"/courses/streaming\",\"referrer\":\"https://x.io/\","
          + "\"user_agent\":{\"family\":\"Mobile Safari\",\"major\":\"18\",\"device\":{\"family\":\"iPhone\"},"
          + "\"os\":{\"family\":\"iOS\"}},\"headers\":{\"accept\":\"text/html\"},"
          + "\"host\":\"www.example-academy.io\",\"ip\":\"2001:db8::4a\",\"user_id\":48213,"
          + "\"academy_id\":2,\"event_time\":\"2026-11-20T10:15:29.870Z\",\"experiment\":\"b\"}";

  static Dataset<Row> kafka(String... values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      byte[] value = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
      rows.add(
          RowFactory.create(null, value, "web-events", 0, (long) i, Timestamp.from(KAFKA_TIME)));
    }
    return TestSpark.session().createDataFrame(rows, KAFKA);
  }

  static List<Row> decode(String... values) {
    return new Decode(Duration.ofMinutes(5))
        .apply(kafka(values))
        .orderBy("kafka_offset")
        .collectAsList();
  }

  @Test
  void bothProducerGenerationsDecodeToTheSameColumns() {
    List<Row> rows = decode(OLD_PRODUCER, NEW_PRODUCER);
    Row old = rows.get(0);
    assertNull(old.getAs("dead_reason"));
    assertEquals("www.example-academy.io", old.getAs("host"));
    assertEquals(
        Timestamp.from(Instant.parse("2026-11-20T10:15:30.123Z")), old.getAs("event_time"));
    assertEquals("{\"family\":\"Chrome\",\"major\":\"131\"}", old.getAs("user_agent"));
    Row newer = rows.get(1);
    assertNull(newer.getAs("dead_reason"));
    assertEquals(
        "{\"family\":\"Mobile Safari\",\"major\":\"18\",\"device\":{\"family\":\"iPhone\"},"
            + "\"os\":{\"family\":\"iOS\"}}",
        newer.getAs("user_agent"));
    assertEquals("{\"accept\":\"text/html\"}", newer.getAs("headers"));
    assertEquals(48213L, (Long) newer.getAs("user_id"));
    assertEquals(
        NEW_PRODUCER,
        new String((byte[]) newer.getAs("raw_value"), StandardCharsets.UTF_8),
        "the unknown field stays in the raw payload");
  }

  @Test
  void namesWhyARecordIsDead() {
    List<Row> rows =
        decode(
            null,
            "",
            "{\"url\":\"/pricing\",\"host\":\"www.example-academy.io\",\"event_time\":\"2026-11-20T10:15:3",
            "not json at all",
            "{\"url\":\"/\",\"ip\":\"1.2.3.4\",\"event_time\":\"2026-11-20T10:15:30Z\"}",
            "{\"url\":\"/\",\"host\":\"h\",\"ip\":\"1.2.3.4\",\"event_time\":\"yesterday\"}",
            "{\"url\":\"/\",\"host\":\"h\",\"ip\":\"1.2.3.4\",\"event_time\":\"2026-11-20T10:15:30\"}",
            "{\"url\":\"/\",\"host\":\"h\",\"ip\":\"1.2.3.4\",\"event_time\":\"2026-11-20T10:21:00.001Z\"}",
            "{\"url\":\"/\",\"host\":\"h\",\"ip\":\"1.2.3.4\",\"event_time\":\"2026-11-20T10:21:00Z\"}",
            "{\"url\":\"/\",\"host\":\"h\",\"ip\":\"1.2.3.4\",\"event_time\":\"2026-11-20T11:15:30+01:00\"}");
    List<Object> reasons = rows.stream().map(r -> r.getAs("dead_reason")).toList();
    assertEquals(
        java.util.Arrays.asList(
            "empty_record",
            "empty_record",
            "malformed_json",
            "malformed_json",
            "missing_field:host",
            "bad_event_time",
            "bad_event_time",
            "future_event_time",
            null, // exactly max-future-skew (5 minutes) after the Kafka timestamp is accepted
            null), // an explicit offset is the same instant as 10:15:30Z
        reasons);
    assertEquals(
        Timestamp.from(Instant.parse("2026-11-20T10:15:30Z")), rows.get(9).getAs("event_time"));
  }

  /** A good event with one field's JSON value replaced by {@code json}. */
  static String with(String field, String json) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("url", "\"/pricing\"");
    values.put("host", "\"www.example-academy.io\"");
    values.put("ip", "\"203.0.113.7\"");
    values.put("event_time", "\"2026-11-20T10:15:30Z\"");
    values.put(field, json);
    StringBuilder out = new StringBuilder("{");
    values.forEach(
        (k, v) ->
            out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return out.append('}').toString();
  }

  @Test
  void aBlankUrlHostOrIpIsAMissingFieldLikeAnAbsentOne() {
    // JSON string values: empty, spaces, a tab, and whitespace of several kinds; then null.
    List<String> blanks = List.of("\"\"", "\"  \"", "\"\\t\"", "\" \\t\\r\\n \"", "null");
    List<String> fields = List.of("url", "host", "ip");
    List<String> values = new ArrayList<>();
    for (String field : fields) {
      blanks.forEach(blank -> values.add(with(field, blank)));
    }

    List<Row> rows = decode(values.toArray(String[]::new));

    for (int i = 0; i < rows.size(); i++) {
      String field = fields.get(i / blanks.size());
      String what = values.get(i);
      assertEquals("missing_field:" + field, rows.get(i).getAs("dead_reason"), what);
      assertNull(rows.get(i).getAs(field), what + ": decoded as absent");
      assertEquals(
          what,
          new String((byte[]) rows.get(i).getAs("raw_value"), StandardCharsets.UTF_8),
          "the dead letter keeps the bytes as sent");
    }
  }

  @Test
  void aValueWithTextBesideItsWhitespaceIsKeptAsSent() {
    List<Row> rows = decode(with("host", "\" www.example-academy.io \""), with("url", "\"\\t/a\""));

    assertNull(rows.get(0).getAs("dead_reason"));
    assertEquals(" www.example-academy.io ", rows.get(0).getAs("host"));
    assertNull(rows.get(1).getAs("dead_reason"));
    assertEquals("\t/a", rows.get(1).getAs("url"));
  }

  @Test
  void aHostIsBlankExactlyWhenJavasIsBlankSaysSo() {
    // Unicode spaces, separators and controls, some whitespace to Java and some not: NEL (U+0085)
    // and NBSP (U+00A0) are not, and a line terminator at the end is no exception.
    List<String> hosts =
        List.of(
            "\u2003",
            "\u3000",
            "\u2028\u2029",
            "\u000b\u001c",
            "\u0085",
            "\u00a0",
            " \u0085",
            "h\n",
            "\u200b");
    List<String> values = hosts.stream().map(h -> with("host", '"' + jsonEscape(h) + '"')).toList();

    List<Row> rows = decode(values.toArray(String[]::new));

    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      String what = "host " + jsonEscape(host);
      if (host.isBlank()) {
        assertEquals("missing_field:host", rows.get(i).getAs("dead_reason"), what);
      } else {
        assertNull(rows.get(i).getAs("dead_reason"), what);
        assertEquals(host, rows.get(i).getAs("host"), what);
      }
    }
  }

  private static String jsonEscape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(String.format("\\u%04x", c)));
    return out.toString();
  }

  @Test
  void aBlankEventTimeKeepsItsOwnReason() {
    List<Row> rows =
        decode(
            with("event_time", "\"\""),
            with("event_time", "\"  \""),
            with("event_time", "\"\\t\""));

    assertEquals(
        List.of("bad_event_time", "bad_event_time", "bad_event_time"),
        rows.stream().map(r -> r.<String>getAs("dead_reason")).toList());
  }

  @Test
  void keepsTheRawBytesAndKafkaCoordinatesOfEveryRecord() {
    Row dead = decode("{\"truncated\":").get(0);
    assertEquals(
        "{\"truncated\":", new String((byte[]) dead.getAs("raw_value"), StandardCharsets.UTF_8));
    assertEquals("web-events", dead.getAs("kafka_topic"));
    assertEquals(0, (Integer) dead.getAs("kafka_partition"));
    assertEquals(Timestamp.from(KAFKA_TIME), dead.getAs("kafka_timestamp"));
  }

  @Test
  void zAndEveryOffsetNameTheirOwnInstant() {
    List<Row> rows =
        decode(
            with("event_time", "\"2026-11-20T10:15:30Z\""),
            with("event_time", "\"2026-11-20T10:15:30.5Z\""),
            with("event_time", "\"2026-11-20T10:15:30.123456Z\""),
            with("event_time", "\"2026-11-20T10:15:30+00:00\""),
            with("event_time", "\"2026-11-20T05:45:30-04:30\""),
            with("event_time", "\"2026-11-20T10:15:30ZZ\""),
            with("event_time", "\"Z\""));

    Instant t = Instant.parse("2026-11-20T10:15:30Z");
    assertEquals(Timestamp.from(t), rows.get(0).getAs("event_time"));
    assertEquals(Timestamp.from(t.plusMillis(500)), rows.get(1).getAs("event_time"));
    assertEquals(Timestamp.from(t.plusNanos(123_456_000)), rows.get(2).getAs("event_time"));
    assertEquals(Timestamp.from(t), rows.get(3).getAs("event_time"));
    assertEquals(Timestamp.from(t), rows.get(4).getAs("event_time"));
    assertEquals("bad_event_time", rows.get(5).getAs("dead_reason"));
    assertEquals("bad_event_time", rows.get(6).getAs("dead_reason"));
  }
}
