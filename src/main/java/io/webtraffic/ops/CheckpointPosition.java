package io.webtraffic.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webtraffic.source.KafkaOffsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a job is: its last committed micro-batch, read from the checkpoint's offset and commit
 * logs. Everything below {@code offsets} has landed in every sink; a restart resumes there.
 *
 * @param batchStartedMs when Spark planned the batch (the offset log's {@code batchTimestampMs})
 * @param committedMs when the batch committed (the commit file's modification time)
 * @param watermarkMs the event-time watermark after the batch, the one the next batch uses
 * @param pendingBatchId a later batch in the offset log, planned but not committed (running, or
 *     interrupted and to be re-run on restart), or -1
 */
public record CheckpointPosition(
    String checkpoint,
    String queryId,
    long batchId,
    long batchStartedMs,
    long committedMs,
    long watermarkMs,
    long pendingBatchId,
    KafkaOffsets offsets) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The log format version this reader knows: Spark's OffsetSeqLog and CommitLog both write v1. */
  private static final String VERSION = "v1";

  /**
   * Reads the last committed batch.
   *
   * @throws NoCommittedBatchException if the checkpoint does not exist or has no committed batch
   */
  public static CheckpointPosition read(CheckpointFiles checkpoint) {
    if (!checkpoint.exists()) {
      throw new NoCommittedBatchException(
          "No checkpoint at " + checkpoint.location() + ": the job has not run with it yet");
    }
    OptionalLong committed = checkpoint.lastBatchId("commits");
    if (committed.isEmpty()) {
      throw new NoCommittedBatchException(
          "Checkpoint "
              + checkpoint.location()
              + " has no committed batch yet"
              + RewindMarker.read(checkpoint)
                  .map(m -> " (prepared by rewind: the job starts at " + m.to() + ")")
                  .orElse(""));
    }
    long batchId = committed.getAsLong();
    List<String> offsetLines = log(checkpoint, "offsets/" + batchId);
    List<String> commitLines = log(checkpoint, "commits/" + batchId);
    if (offsetLines.size() < 3 || offsetLines.get(2).equals("-")) {
      throw new IllegalStateException(
          "Cannot read the Kafka offsets of batch " + batchId + " in " + checkpoint.location());
    }
    // The JSON of Spark's OffsetSeqMetadata and CommitMetadata, read without loading Spark.
    long batchTimestampMs =
        field(checkpoint, "offsets/" + batchId, offsetLines, "batchTimestampMs");
    long watermark = field(checkpoint, "commits/" + batchId, commitLines, "nextBatchWatermarkMs");
    long lastPlanned = checkpoint.lastBatchId("offsets").orElse(batchId);
    return new CheckpointPosition(
        checkpoint.location(),
        queryId(checkpoint),
        batchId,
        batchTimestampMs,
        checkpoint.modifiedMs("commits/" + batchId),
        watermark,
        lastPlanned > batchId ? lastPlanned : -1,
        KafkaOffsets.parse(offsetLines.get(2)));
  }

  public Instant batchStarted() {
    return Instant.ofEpochMilli(batchStartedMs);
  }

  public Instant committed() {
    return Instant.ofEpochMilli(committedMs);
  }

  public Instant watermark() {
    return Instant.ofEpochMilli(watermarkMs);
  }

  private static List<String> log(CheckpointFiles checkpoint, String file) {
    if (!checkpoint.exists(file)) {
      throw new IllegalStateException(
          "Cannot read " + checkpoint.location() + "/" + file + ": missing");
    }
    List<String> lines = checkpoint.readLines(file);
    if (lines.size() < 2 || !lines.get(0).equals(VERSION)) {
      throw new IllegalStateException(
          "Cannot read "
              + checkpoint.location()
              + "/"
              + file
              + ": not a Spark "
              + VERSION
              + " log entry (first line '"
              + (lines.isEmpty() ? "" : lines.get(0))
              + "')");
    }
    return lines;
  }

  /** A number in the JSON of a log entry's second line; Spark writes 0 for an absent one. */
  private static long field(
      CheckpointFiles checkpoint, String file, List<String> lines, String name) {
    try {
      return JSON.readTree(lines.get(1)).path(name).asLong(0);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read " + checkpoint.location() + "/" + file + ": " + e.getMessage(), e);
    }
  }

  private static String queryId(CheckpointFiles checkpoint) {
    try {
      return JSON.readTree(String.join("\n", checkpoint.readLines("metadata"))).path("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the query id in " + checkpoint.location(), e);
    }
  }
}
