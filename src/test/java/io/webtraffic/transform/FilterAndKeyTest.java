package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.config.PipelineConfig.FilterRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FilterAndKeyTest {
  static final FilterRules RULES =
      new FilterRules(
          "(?i)(^/static/|\\.(js|css|png|ico)$)", List.of("/health", "/healthz"),
          "(?i)(bot|curl)", List.of("www.example-academy.io", "blog.example-academy.io"));

  static String event(String url, String host, String ua) {
    return "{\"url\":\""
        + url
        + "\",\"host\":\""
        + host
        + "\",\"ip\":\"203.0.113.7\","
        + "\"user_agent\":"
        + ua
        + ",\"event_time\":\"2026-11-20T10:15:30.123Z\"}";
  }

  static List<Row> run(String... values) {
    var decoded = new Decode(java.time.Duration.ofMinutes(5)).apply(DecodeTest.kafka(values));
    var filtered = new FilterEvents(RULES).apply(new EnrichUserAgent().apply(decoded));
    return new DedupKey().apply(filtered).orderBy("kafka_offset").collectAsList();
  }

  static final String CHROME =
      "{\"family\":\"Chrome\",\"device\":{\"family\":\"Other\"},\"os\":{\"family\":\"Mac OS X\"}}";

  @Test
  void eachRuleNamesTheEventsItDrops() {
    List<Row> rows =
        run(
            event("/courses/streaming", "www.example-academy.io", CHROME),
            event("/static/app.9f2c.js", "www.example-academy.io", CHROME),
            event("/favicon.ico", "www.example-academy.io", CHROME),
            event("/healthz?probe=1", "www.example-academy.io", CHROME),
            event("/", "www.example-academy.io", "{\"family\":\"Googlebot\"}"),
            event("/", "www.example-academy.io", "\"curl/8.4.0\""),
            event("/", "evil.example.com", CHROME),
            "{\"url\":\"/static/x.js\"}");
    List<Object> reasons = rows.stream().map(r -> r.getAs("filter_reason")).toList();
    assertEquals(
        java.util.Arrays.asList(
            null,
            "static_asset",
            "static_asset",
            "health_check",
            "bot",
            "bot",
            "unknown_host",
            null),
        reasons);
    assertEquals(
        "missing_field:host", rows.get(7).getAs("dead_reason"), "dead records are never filtered");
  }

  @Test
  void userAgentFieldsAreLiftedFromBothShapes() {
    Row r = run(event("/", "www.example-academy.io", CHROME)).get(0);
    assertEquals("Chrome", r.getAs("ua_family"));
    assertEquals("Other", r.getAs("device_family"));
    assertEquals("Mac OS X", r.getAs("os_family"));
  }

  @Test
  void dedupKeyIsAHashOfTheEventContentOrItsOwnId() throws Exception {
    String withId =
        "{\"event_id\":\"abc\",\"url\":\"/\",\"host\":\"www.example-academy.io\","
            + "\"ip\":\"203.0.113.7\",\"event_time\":\"2026-11-20T10:15:30.123Z\"}";
    List<Row> rows =
        run(
            event("/a", "www.example-academy.io", CHROME),
            event("/a", "www.example-academy.io", CHROME),
            event("/b", "www.example-academy.io", CHROME),
            withId,
            event("/static/x.js", "www.example-academy.io", CHROME));
    // Independently computed: SHA-256 over ip, host, url, event_time in epoch micros, user agent
    // text.
    String text =
        String.join(
            "\u001f", "203.0.113.7", "www.example-academy.io", "/a", "1795169730123000", CHROME);
    String expected =
        "h:"
            + HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, rows.get(0).getAs("dedup_key"));
    assertEquals(rows.get(0).<String>getAs("dedup_key"), rows.get(1).getAs("dedup_key"));
    assertNotEquals(rows.get(0).<String>getAs("dedup_key"), rows.get(2).getAs("dedup_key"));
    assertEquals("e:abc", rows.get(3).getAs("dedup_key"));
    assertEquals(
        "x:web-events/0/4", rows.get(4).getAs("dedup_key"), "filtered records key on their offset");
    assertNull(rows.get(4).getAs("wm_time"), "filtered records never move the watermark");
    assertTrue(rows.get(0).getAs("wm_time") != null);
  }
}
