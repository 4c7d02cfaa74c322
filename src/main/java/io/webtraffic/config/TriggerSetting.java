package io.webtraffic.config;

import java.time.Duration;
import org.apache.spark.sql.streaming.Trigger;

/** Either a processing-time interval or "availableNow": drain what is in the topic, then stop. */
public record TriggerSetting(boolean availableNow, Duration interval) {
  public static final String AVAILABLE_NOW = "availableNow";

  public Trigger toSparkTrigger() {
    return availableNow ? Trigger.AvailableNow() : Trigger.ProcessingTime(interval.toMillis());
  }

  @Override
  public String toString() {
    return availableNow ? AVAILABLE_NOW : "processingTime " + interval.toMillis() + " ms";
  }
}
