package io.webtraffic.config;

import com.typesafe.config.Config;
import io.webtraffic.config.PipelineConfig.Limit;
import io.webtraffic.config.PipelineConfig.QualityAction;
import io.webtraffic.config.PipelineConfig.QualitySettings;
import io.webtraffic.config.PipelineConfig.VolumeLimit;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Reads and validates the {@code pipeline.quality} block: limits in range, known actions. */
final class QualitySettingsReader {
  private static final String PREFIX = "pipeline.";

  private QualitySettingsReader() {}

  static QualitySettings read(Config c) {
    List<String> fields = c.getStringList("quality.required-fields");
    if (!QualitySettings.FIELDS.containsAll(fields)
        || fields.stream().distinct().count() != fields.size()) {
      throw InvalidConfigException.invalid(
          PREFIX + "quality.required-fields",
          fields,
          "allowed: distinct fields of " + QualitySettings.FIELDS + ", or [] for no check");
    }
    Duration skew = c.getDuration("quality.event-time-skew.max");
    if (skew.isNegative() || skew.isZero()) {
      throw InvalidConfigException.invalid(
          PREFIX + "quality.event-time-skew.max",
          c.getValue("quality.event-time-skew.max").unwrapped(),
          "must be a positive duration such as '15 minutes'");
    }
    return new QualitySettings(
        fields,
        share(c, "required-null-share"),
        share(c, "dead-letter-share"),
        share(c, "future-skew-share"),
        new Limit(skew.toMillis() / 1000.0, action(c, "event-time-skew")),
        share(c, "duplicate-share"),
        volume(c));
  }

  private static Limit share(Config c, String check) {
    String key = "quality." + check + ".max";
    double max = c.getDouble(key);
    if (max < 0 || max > 1) {
      throw InvalidConfigException.invalid(
          PREFIX + key, c.getValue(key).unwrapped(), "a share between 0 and 1, such as 0.05");
    }
    return new Limit(max, action(c, check));
  }

  private static VolumeLimit volume(Config c) {
    int history = c.getInt("quality.volume.history");
    int minHistory = c.getInt("quality.volume.min-history");
    double minRatio = c.getDouble("quality.volume.min-ratio");
    double maxRatio = c.getDouble("quality.volume.max-ratio");
    if (history < 1) {
      throw InvalidConfigException.invalid(
          PREFIX + "quality.volume.history", history, "must be >= 1");
    }
    if (minHistory < 1 || minHistory > history) {
      throw InvalidConfigException.invalid(
          PREFIX + "quality.volume.min-history",
          minHistory,
          "must be between 1 and pipeline.quality.volume.history (" + history + ")");
    }
    if (minRatio < 0 || minRatio > 1) {
      throw InvalidConfigException.invalid(
          PREFIX + "quality.volume.min-ratio", minRatio, "must be between 0 and 1");
    }
    if (maxRatio < 1) {
      throw InvalidConfigException.invalid(
          PREFIX + "quality.volume.max-ratio", maxRatio, "must be >= 1");
    }
    return new VolumeLimit(history, minHistory, minRatio, maxRatio, action(c, "volume"));
  }

  private static QualityAction action(Config c, String check) {
    String key = "quality." + check + ".action";
    String value = c.getString(key).trim();
    return Arrays.stream(QualityAction.values())
        .filter(a -> a.configName().equals(value.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                InvalidConfigException.invalid(PREFIX + key, value, "allowed: record, warn, stop"));
  }
}
