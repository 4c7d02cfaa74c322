package io.webtraffic.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hand-made web-request events, as the producers send them, for tests that spell out each one. */
public final class TestEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestEvents() {}

  /**
   * A valid event whose Kafka timestamp is a minute after its event time (well inside the allowed
   * clock skew).
   */
  public static TestPipeline.Message event(
      String ip, String host, Instant time, String url, String browser) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("url", url);
    e.put("referrer", null);
    e.put("user_agent", json(userAgent(browser)));
    e.put("headers", "{}");
    e.put("host", host);
    e.put("ip", ip);
    e.put("event_time", time.toString());
    long kafkaTime = time.plus(Duration.ofMinutes(1)).toEpochMilli();
    return new TestPipeline.Message(null, json(e).getBytes(StandardCharsets.UTF_8), kafkaTime);
  }

  private static Map<String, Object> userAgent(String browser) {
    return Map.of(
        "family",
        browser,
        "major",
        "131",
        "device",
        Map.of("family", "Other"),
        "os",
        Map.of("family", "Linux"));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
