package io.webtraffic.config;

import io.webtraffic.config.PipelineConfig.WindowSettings;
import java.time.Duration;
import java.util.List;

/**
 * Reads {@code pipeline.windows}: sizes are positive, a sliding window slides no further than its
 * size, and a count window is keyed by distinct fields every event has.
 */
final class WindowSettingsReader {
  private WindowSettingsReader() {}

  static WindowSettings read(CheckedConfig c) {
    Duration slidingSize = c.positive("windows.sliding-size");
    Duration slide = c.positive("windows.sliding-slide");
    if (slide.compareTo(slidingSize) > 0) {
      throw CheckedConfig.invalid(
          "windows.sliding-slide",
          c.asWritten("windows.sliding-slide"),
          "must not exceed pipeline.windows.sliding-size ("
              + c.asWritten("windows.sliding-size")
              + "); a slide equal to the size is a tumbling window");
    }
    List<String> countKey = c.strings("windows.count-key");
    if (countKey.isEmpty()
        || !WindowSettings.COUNT_KEY_FIELDS.containsAll(countKey)
        || countKey.stream().distinct().count() != countKey.size()) {
      throw CheckedConfig.invalid(
          "windows.count-key",
          countKey,
          "allowed: one or more distinct fields of " + WindowSettings.COUNT_KEY_FIELDS);
    }
    return new WindowSettings(
        c.positive("windows.tumbling-size"),
        slidingSize,
        slide,
        c.positive("windows.session-gap"),
        c.atLeast("windows.count-size", 1),
        countKey,
        c.positive("windows.count-flush-after"));
  }
}
