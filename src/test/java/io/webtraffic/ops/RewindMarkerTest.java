package io.webtraffic.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.config.StartingPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command's view of a checkpoint prepared by rewind. */
class RewindMarkerTest {
  @TempDir Path checkpoint;

  PipelineConfig config() {
    return ConfigLoader.load(
        Optional.empty(),
        Map.of(),
        Map.of("checkpoint-location", checkpoint.toString(), "kafka.starting-position", "latest"),
        checkpoint);
  }

  @Test
  void aPreparedCheckpointStartsAtTheRewindTimeWhateverTheSetting() {
    new RewindMarker("2026-11-20T09:00:00Z", "2026-11-21T10:00:00Z", null)
        .writeTo(CheckpointFiles.of(config()));

    assertEquals(
        StartingPosition.parse("timestamp:2026-11-20T09:00:00Z"),
        RewindMarker.apply(config()).kafka().startingPosition());
  }

  @Test
  void onceTheCheckpointHasStartedTheMarkerNoLongerMatters() throws IOException {
    new RewindMarker("2026-11-20T09:00:00Z", "2026-11-21T10:00:00Z", null)
        .writeTo(CheckpointFiles.of(config()));
    Files.createDirectories(checkpoint.resolve("offsets"));
    Files.writeString(checkpoint.resolve("offsets/0"), "v1\n{}\n{}");

    assertEquals(config(), RewindMarker.apply(config()));
  }

  @Test
  void anOrdinaryCheckpointKeepsTheConfiguredPosition() {
    assertEquals(config(), RewindMarker.apply(config()));
  }
}
