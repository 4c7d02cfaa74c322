package io.webtraffic.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.webtraffic.config.PipelineConfig;
import java.util.Map;

/**
 * The job's position as a small JSON file other systems can read (the "savepoint" of the lecture):
 * which micro-batch landed last and the Kafka offsets below which every record is in the sinks.
 * {@code offsets} has the form {@code kafka.starting-position} accepts, so a new checkpoint can
 * start exactly there. Written atomically; by default next to the checkpoint as {@code
 * <job>-position.json}.
 */
public final class PositionFile {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The file's content. Times are ISO-8601 instants; offsets are the next offset to read. */
  public record Position(
      String job,
      String queryId,
      String checkpoint,
      long batchId,
      String batchPlannedAt,
      String batchCommittedAt,
      String watermark,
      Map<String, Map<String, Long>> offsets) {

    public static Position of(String job, CheckpointPosition p) {
      return new Position(
          job,
          p.queryId(),
          p.checkpoint(),
          p.batchId(),
          p.batchStarted().toString(),
          p.committed().toString(),
          p.watermark().toString(),
          p.offsets().nested());
    }
  }

  private PositionFile() {}

  /** {@code <checkpoint>/../<job>-position.json}. */
  public static String defaultLocation(PipelineConfig config) {
    return CheckpointFiles.of(config).sibling(config.jobName() + "-position.json").location();
  }

  public static void write(String location, PipelineConfig config, Position position) {
    CheckpointFiles.of(location, config).write(toJson(position) + "\n");
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
