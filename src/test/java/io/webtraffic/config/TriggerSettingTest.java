package io.webtraffic.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TriggerSettingTest {
  @Test
  void availableNowOrAnInterval() {
    assertEquals(new TriggerSetting(true, Duration.ZERO), TriggerSetting.parse(" availableNow "));
    assertEquals(new TriggerSetting(false, Duration.ofMillis(500)), TriggerSetting.parse("500 ms"));
    assertEquals(
        new TriggerSetting(false, Duration.ofMinutes(1)), TriggerSetting.parse("1 minute"));
  }

  @Test
  void aZeroIntervalIsRefused() {
    assertEquals(
        "Invalid pipeline.trigger: '0 seconds' (the interval must be > 0)",
        assertThrows(InvalidConfigException.class, () -> TriggerSetting.parse("0 seconds"))
            .getMessage());
  }
}
