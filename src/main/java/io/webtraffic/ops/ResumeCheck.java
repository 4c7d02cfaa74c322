package io.webtraffic.ops;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.source.KafkaAdmin;
import io.webtraffic.source.KafkaDataLoss;
import io.webtraffic.source.KafkaOffsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the job resumes from its checkpoint: are the records it reads next still in Kafka? When
 * the job was down longer than the topic's retention they are not, and with {@code
 * kafka.fail-on-data-loss=true} Spark would fail its first batch with a stack trace; this says the
 * same in one line, before Spark starts.
 */
public final class ResumeCheck {
  private ResumeCheck() {}

  public static void check(PipelineConfig config) {
    if (!config.kafka().failOnDataLoss()) {
      return;
    }
    CheckpointPosition position;
    try {
      position = CheckpointPosition.read(CheckpointFiles.of(config));
    } catch (NoCommittedBatchException e) {
      return; // a new checkpoint starts from its starting position
    }
    KafkaOffsets next = position.offsets();
    KafkaOffsets logStart;
    try (KafkaAdmin kafka = KafkaAdmin.connect(config.kafka())) {
      logStart = kafka.earliest(next.offsets().keySet());
    }
    List<KafkaDataLoss.Gap> gaps = new ArrayList<>();
    next.offsets()
        .forEach(
            (tp, offset) -> {
              long start = logStart.offsets().get(tp);
              if (offset < start) {
                gaps.add(new KafkaDataLoss.Gap(tp, offset, start));
              }
            });
    if (!gaps.isEmpty()) {
      throw new IllegalStateException(
          "Cannot resume job '"
              + config.jobName()
              + "' from checkpoint "
              + position.checkpoint()
              + ": "
              + KafkaDataLoss.message(gaps));
    }
  }
}
