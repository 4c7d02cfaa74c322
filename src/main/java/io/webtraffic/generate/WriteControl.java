package io.webtraffic.generate;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * How a {@link KafkaEventWriter} run is paced, stopped and reported on.
 *
 * @param pacer holds records back until due, or lets them through
 * @param stopRequested polled before each record; true ends the run cleanly (flushed, summarized)
 * @param progressEvery how often to report progress
 * @param onProgress receives each progress report
 */
public record WriteControl(
    Pacer pacer,
    BooleanSupplier stopRequested,
    Duration progressEvery,
    Consumer<WriteProgress> onProgress) {

  public static final Duration PROGRESS_EVERY_DEFAULT = Duration.ofSeconds(2);

  public WriteControl {
    Objects.requireNonNull(pacer, "pacer");
    Objects.requireNonNull(stopRequested, "stopRequested");
    Objects.requireNonNull(onProgress, "onProgress");
    if (progressEvery == null || progressEvery.isNegative() || progressEvery.isZero()) {
      throw new IllegalArgumentException(
          "Invalid progressEvery: " + progressEvery + " (must be positive)");
    }
  }

  /** As fast as possible, never stopped early, progress to the log. */
  public static WriteControl unpaced(Consumer<WriteProgress> onProgress) {
    return new WriteControl(Pacer.unpaced(), () -> false, PROGRESS_EVERY_DEFAULT, onProgress);
  }
}
