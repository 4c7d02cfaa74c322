package io.webtraffic.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsumerGroupOffsetsTest {
  @Test
  void theGroupIsNamedAfterTheJob() {
    assertEquals("webtraffic-pipeline.clicks", ConsumerGroupOffsets.group("clicks"));
  }

  @Test
  void aFailedCommitOnlyWarns() {
    // Nothing listens on port 1: the commit times out, and the job must not notice.
    KafkaSettings unreachable =
        ConfigLoader.load(
                Optional.empty(),
                Map.of(),
                Map.of("kafka.bootstrap-servers", "127.0.0.1:1"),
                Path.of("/tmp"))
            .kafka();
    ConsumerGroupOffsets listener =
        new ConsumerGroupOffsets(null, "clicks", unreachable, Duration.ofSeconds(1));

    assertFalse(listener.commit(7, "{\"web-events\":{\"0\":42}}"));
  }
}
