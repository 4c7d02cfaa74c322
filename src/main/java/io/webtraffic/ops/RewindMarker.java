package io.webtraffic.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.config.StartingPosition;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <checkpoint>/rewind.json}: written by {@code rewind} into a new, empty checkpoint, it
 * fixes where that checkpoint starts, so the job is restarted exactly as before (same command, same
 * configuration) and reads from the rewind time. Like any starting position it only matters until
 * the checkpoint's first batch; the file stays as a record of how the checkpoint began.
 *
 * @param to the instant the job starts at (the first record with a Kafka timestamp at or after it)
 * @param previousCheckpoint where the checkpoint it replaced was moved, or null
 */
public record RewindMarker(String to, String preparedAt, String previousCheckpoint) {
  static final String FILE = "rewind.json";
  private static final Logger LOG = LoggerFactory.getLogger(RewindMarker.class);

  public Instant toInstant() {
    return Instant.parse(to);
  }

  public StartingPosition startingPosition() {
    return StartingPosition.parse("timestamp:" + to);
  }

  static Optional<RewindMarker> read(CheckpointFiles checkpoint) {
    if (!checkpoint.exists(FILE)) {
      return Optional.empty();
    }
    String json = String.join("\n", checkpoint.readLines(FILE));
    try {
      return Optional.of(PositionFile.JSON.readValue(json, RewindMarker.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot read " + checkpoint.location() + "/" + FILE + ": " + e.getOriginalMessage(), e);
    }
  }

  void writeTo(CheckpointFiles checkpoint) {
    checkpoint.write(FILE, PositionFile.toJson(this) + "\n");
  }

  /**
   * The configuration the job runs with: a checkpoint prepared by rewind that has not run a batch
   * yet starts at the rewind time, whatever {@code kafka.starting-position} says.
   */
  public static PipelineConfig apply(PipelineConfig config) {
    CheckpointFiles checkpoint = CheckpointFiles.of(config);
    if (!checkpoint.exists() || checkpoint.lastBatchId("offsets").isPresent()) {
      return config;
    }
    Optional<RewindMarker> marker = read(checkpoint);
    if (marker.isEmpty()) {
      return config;
    }
    LOG.info(
        "Checkpoint {} was prepared by rewind: starting at {} (instead of kafka.starting-position"
            + " {})",
        checkpoint.location(),
        marker.get().to(),
        config.kafka().startingPosition());
    return config.withStartingPosition(marker.get().startingPosition());
  }
}
