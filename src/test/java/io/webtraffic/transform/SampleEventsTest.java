package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.config.PipelineConfig.FilterRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The seven sample records of the design (both producer generations, an extra field, a re-send, a
 * static asset, a truncated record) through decode, enrichment, filter and dedup key.
 */
class SampleEventsTest {
  static final FilterRules DEFAULT_RULES =
      new FilterRules(
          "(?i)(^/static/|^/assets/|\\.(js|css|map|png|jpe?g|gif|svg|ico|webp|woff2?|ttf)$)",
          List.of("/health", "/healthz"),
          "(?i)(bot|crawler|spider|curl|python-requests|go-http-client)",
          List.of());

  static List<Row> samples() throws IOException {
    String[] lines;
    try (InputStream in = SampleEventsTest.class.getResourceAsStream("/samples/web-events.jsonl")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
    }
    var decoded = new Decode(Duration.ofMinutes(5)).apply(DecodeTest.kafka(lines));
    var filtered = new FilterEvents(DEFAULT_RULES).apply(new EnrichUserAgent().apply(decoded));
    return new DedupKey().apply(filtered).orderBy("kafka_offset").collectAsList();
  }

  @Test
  void eachSampleLandsWhereTheDesignSays() throws IOException {
    List<Row> rows = samples();
    assertEquals(7, rows.size());
    assertEquals(
        Arrays.asList(null, null, null, null, null, null, "malformed_json"),
        rows.stream().map(r -> r.getAs("dead_reason")).toList());
    assertEquals(
        Arrays.asList(null, null, null, null, null, "static_asset", null),
        rows.stream().map(r -> r.getAs("filter_reason")).toList());
  }

  @Test
  void theResendSharesItsOriginalsKeyAndTheOthersDoNot() throws IOException {
    List<String> keys = samples().stream().map(r -> r.<String>getAs("dedup_key")).toList();
    assertEquals(keys.get(2), keys.get(4), "line 5 is a byte-identical re-send of line 3");
    assertEquals(6, keys.stream().distinct().count(), "seven records, one pair shares a key");
  }

  @Test
  void bothGenerationsYieldTheSameEnrichment() throws IOException {
    List<Row> rows = samples();
    assertEquals("Chrome", rows.get(0).getAs("ua_family"));
    assertEquals("Mac OS X", rows.get(0).getAs("os_family"));
    assertEquals("Mobile Safari", rows.get(2).getAs("ua_family"));
    assertEquals("iPhone", rows.get(2).getAs("device_family"));
    assertEquals("2001:db8::4a", rows.get(2).getAs("ip"));
    assertEquals(48213L, (Long) rows.get(2).getAs("user_id"));
    String withExtraField =
        new String((byte[]) rows.get(3).getAs("raw_value"), StandardCharsets.UTF_8);
    assertEquals(true, withExtraField.contains("\"experiment\":\"b\""), "unknown fields stay");
  }
}
