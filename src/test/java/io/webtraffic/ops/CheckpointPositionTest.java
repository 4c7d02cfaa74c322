package io.webtraffic.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.webtraffic.config.ConfigLoader;
import io.webtraffic.config.PipelineConfig;
import io.webtraffic.source.KafkaOffsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint files as Spark 3.5 writes them (copied from a real run), read without Spark: the
 * last committed batch wins over a planned one, and a format this reader does not know is refused.
 */
class CheckpointPositionTest {
  static final String QUERY_ID = "9d049e0d-28dc-4a57-ac33-f1f0dc975e6a";

  @TempDir Path checkpoint;

  CheckpointFiles files() {
    PipelineConfig config =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(),
            Map.of("checkpoint-location", checkpoint.toString()),
            checkpoint);
    return CheckpointFiles.of(config);
  }

  void write(String file, String content) throws IOException {
    Files.createDirectories(checkpoint.resolve(file).getParent());
    Files.writeString(checkpoint.resolve(file), content);
  }

  static String offsets(long watermarkMs, long timestampMs, String kafka) {
    return "v1\n{\"batchWatermarkMs\":"
        + watermarkMs
        + ",\"batchTimestampMs\":"
        + timestampMs
        + ",\"conf\":{\"spark.sql.shuffle.partitions\":\"2\"}}\n"
        + kafka;
  }

  @Test
  void theLastCommittedBatchIsThePosition() throws IOException {
    write("metadata", "{\"id\":\"" + QUERY_ID + "\"}");
    write("offsets/0", offsets(0, 1000, "{\"web-events\":{\"1\":5,\"0\":3}}"));
    write("commits/0", "v1\n{\"nextBatchWatermarkMs\":500}");
    write("offsets/1", offsets(500, 2000, "{\"web-events\":{\"1\":6,\"0\":5}}"));
    write("commits/1", "v1\n{\"nextBatchWatermarkMs\":700}");
    write("offsets/2", offsets(700, 3000, "{\"web-events\":{\"1\":9,\"0\":5}}"));

    CheckpointPosition p = CheckpointPosition.read(files());

    assertEquals(QUERY_ID, p.queryId());
    assertEquals(1, p.batchId());
    assertEquals(2000, p.batchStartedMs());
    assertEquals(700, p.watermarkMs(), "the watermark after the batch, the next batch's");
    assertEquals(2, p.pendingBatchId());
    assertEquals(KafkaOffsets.parse("{\"web-events\":{\"0\":5,\"1\":6}}"), p.offsets());
    assertEquals(
        Files.getLastModifiedTime(checkpoint.resolve("commits/1")).toMillis(), p.committedMs());
  }

  @Test
  void aCheckpointThatNeverCommittedHasNoPosition() throws IOException {
    write("metadata", "{\"id\":\"" + QUERY_ID + "\"}");
    write("offsets/0", offsets(0, 1000, "{\"web-events\":{\"0\":3}}"));

    NoCommittedBatchException e =
        assertThrows(NoCommittedBatchException.class, () -> CheckpointPosition.read(files()));
    assertEquals("Checkpoint " + checkpoint + " has no committed batch yet", e.getMessage());
  }

  @Test
  void anUnknownLogVersionIsRefused() throws IOException {
    write("metadata", "{\"id\":\"" + QUERY_ID + "\"}");
    write("offsets/0", offsets(0, 1000, "{\"web-events\":{\"0\":3}}").replace("v1", "v2"));
    write("commits/0", "v1\n{\"nextBatchWatermarkMs\":0}");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> CheckpointPosition.read(files()));
    assertEquals(
        "Cannot read " + checkpoint + "/offsets/0: not a Spark v1 log entry (first line 'v2')",
        e.getMessage());
  }
}
