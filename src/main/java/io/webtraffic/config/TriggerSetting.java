package io.webtraffic.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.streaming.Trigger;

/** Either a processing-time interval or "availableNow": drain what is in the topic, then stop. */
public record TriggerSetting(boolean availableNow, Duration interval) {
  public static final String AVAILABLE_NOW = "availableNow";

  /** Reads {@code pipeline.trigger}: availableNow, or an interval in Typesafe's duration format. */
  static TriggerSetting parse(String value) {
    if (value.trim().equals(AVAILABLE_NOW)) {
      return new TriggerSetting(true, Duration.ZERO);
    }
    Duration interval;
    try {
      interval = ConfigFactory.parseMap(Map.of("t", value)).getDuration("t");
    } catch (ConfigException e) {
      throw InvalidConfigException.invalid(
          "pipeline.trigger",
          value,
          "allowed: availableNow, or a processing-time interval such as '500 ms', '5 seconds',"
              + " '1 minute'; set with --trigger, PIPELINE_TRIGGER or trigger in the config file");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw InvalidConfigException.invalid("pipeline.trigger", value, "the interval must be > 0");
    }
    return new TriggerSetting(false, interval);
  }

  public Trigger toSparkTrigger() {
    return availableNow ? Trigger.AvailableNow() : Trigger.ProcessingTime(interval.toMillis());
  }

  @Override
  public String toString() {
    return availableNow ? AVAILABLE_NOW : "processingTime " + interval.toMillis() + " ms";
  }
}
