package io.webtraffic.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.source.KafkaOffsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The arithmetic of a rewind plan, on hand-made positions. */
class RewindPlanTest {
  static final TopicPartition P0 = new TopicPartition("web-events", 0);
  static final TopicPartition P1 = new TopicPartition("web-events", 1);

  static RewindPlan plan(KafkaOffsets before, KafkaOffsets startAt) {
    PipelineConfig config =
        ConfigLoader.load(
            Optional.empty(), Map.of(), Map.of("checkpoint-location", "/cp"), Path.of("/"));
    CheckpointPosition previous = new CheckpointPosition("/cp", "q-1", 9, 0, 0, 0, -1, before);
    return new RewindPlan(
        config, Instant.parse("2026-11-20T09:00:00Z"), previous, "/cp.before-rewind-x", startAt);
  }

  @Test
  void recordsBetweenTheRewindPointAndTheOldPositionAreProcessedAgain() {
    RewindPlan plan =
        plan(new KafkaOffsets(Map.of(P0, 10L, P1, 5L)), new KafkaOffsets(Map.of(P0, 4L, P1, 5L)));

    assertEquals(6, plan.processedAgain(P0));
    assertEquals(0, plan.processedAgain(P1));
    assertEquals(6, plan.processedAgain());
    assertTrue(plan.describe().contains("WARNING: 6 records already processed"), plan.describe());
  }

  @Test
  void aRewindPointAheadOfTheOldPositionSaysWhatWillNeverBeRead() {
    RewindPlan plan =
        plan(new KafkaOffsets(Map.of(P0, 10L, P1, 5L)), new KafkaOffsets(Map.of(P0, 10L, P1, 7L)));

    assertEquals(0, plan.processedAgain());
    assertEquals(2, plan.skipped(P1));
    assertTrue(
        plan.describe()
            .contains(
                "WARNING: the rewind point is after the old checkpoint's position: 2 records it"
                    + " had not read yet will never be read."),
        plan.describe());
  }
}
