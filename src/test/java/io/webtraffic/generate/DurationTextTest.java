package io.webtraffic.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void parsesTheShortForms() {
    assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), DurationText.parse("30s"));
    assertEquals(Duration.ofMinutes(5), DurationText.parse("5m"));
    assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
    assertEquals(Duration.ofDays(2), DurationText.parse(" 2d "));
  }

  @Test
  void parsesIso8601() {
    assertEquals(Duration.ofSeconds(90), DurationText.parse("PT1M30S"));
  }

  @Test
  void rejectsOtherTextNamingTheForms() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("30"));

    assertEquals(
        "Invalid duration: '30' (use e.g. 500ms, 30s, 5m, 1h, 1d or ISO-8601 PT30S)",
        error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DurationText.parse("5 minutes"));
    assertThrows(IllegalArgumentException.class, () -> DurationText.parse(null));
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertEquals("1d", DurationText.format(Duration.ofDays(1)));
    assertEquals("1h", DurationText.format(Duration.ofHours(1)));
    assertEquals("90m", DurationText.format(Duration.ofMinutes(90)));
    assertEquals("30s", DurationText.format(Duration.ofSeconds(30)));
    assertEquals("1500ms", DurationText.format(Duration.ofMillis(1500)));
    assertEquals("0s", DurationText.format(Duration.ZERO));
  }
}
