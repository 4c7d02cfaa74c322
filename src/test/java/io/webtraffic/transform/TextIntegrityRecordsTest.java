package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Records through decoding, the user agent's parse and the text checks, as the job runs them: each
 * record's dead reason, worked out by hand from its JSON.
 */
class TextIntegrityRecordsTest {
  private static final String TIME = "\"event_time\":\"2026-11-20T10:15:30.123Z\"";

  private static String event(String fields) {
    return "{\"host\":\"h.example\",\"ip\":\"203.0.113.7\"," + TIME + "," + fields + "}";
  }

  @Test
  void nulCharactersAndLoneSurrogatesAreFoundWhereverTheyHide() {
    List<String> records =
        List.of(
            DecodeTest.OLD_PRODUCER,
            DecodeTest.NEW_PRODUCER,
            event("\"url\":\"/a\\u0000b\""),
            // the user agent as an object: its text keeps the escape, its family holds U+0000
            event("\"url\":\"/\",\"user_agent\":{\"family\":\"a\\u0000\"}"),
            // the user agent as text: an escaped backslash, then a backslash-u escape of one
            event("\"url\":\"/\",\"user_agent\":\"{\\\"family\\\":\\\"a\\\\u0000\\\"}\""),
            event("\"url\":\"/\",\"user_agent\":\"{\\\"family\\\":\\\"a\\u005cu0000\\\"}\""),
            // headers are stored as text and never parsed: the escape stays six characters
            event("\"url\":\"/\",\"headers\":\"{\\\"x\\\":\\\"\\\\u0000\\\"}\""),
            event("\"url\":\"/\\ud800\""),
            event("\"url\":\"/caf\\u00e9\\ud83d\\ude00\""),
            event("\"url\":\"/\",\"referrer\":\"\\u0000\",\"ip\":\"\\ud800\""));

    List<String> reasons = new ArrayList<>();
    for (Row r :
        new TextIntegrity()
            .apply(
                new EnrichUserAgent()
                    .apply(
                        new Decode(Duration.ofMinutes(5))
                            .apply(DecodeTest.kafka(records.toArray(String[]::new)))))
            .orderBy("kafka_offset")
            .collectAsList()) {
      reasons.add(r.getAs("dead_reason"));
    }

    assertEquals(
        Arrays.asList(
            null,
            null,
            "nul_character:url",
            "nul_character:ua_family",
            "nul_character:ua_family",
            "nul_character:ua_family",
            null,
            "unpaired_surrogate",
            null,
            "nul_character:referrer"),
        reasons);
  }
}
