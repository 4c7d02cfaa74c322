package io.webtraffic.ops;

import io.webtraffic.config.PipelineConfig;
import io.webtraffic.sink.IcebergTables;
import io.webtraffic.source.KafkaAdmin;
import io.webtraffic.source.KafkaOffsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code rewind} does, worked out before it changes anything: the checkpoint to replace and
 * where it goes, the offsets the timestamp falls on today, and how many records the replaced
 * checkpoint had already processed that will be processed again (a new checkpoint is a new query
 * id, so the sinks' exactly-once ledger does not recognise them).
 *
 * @param previous the replaced checkpoint's position, or null (no checkpoint, or nothing committed)
 * @param moveTo where the existing checkpoint is moved aside, or null when there is none
 */
public record RewindPlan(
    PipelineConfig config,
    Instant to,
    CheckpointPosition previous,
    String moveTo,
    KafkaOffsets startAt) {
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public static RewindPlan of(PipelineConfig config, Instant to, Instant now, KafkaAdmin kafka) {
    CheckpointFiles checkpoint = CheckpointFiles.of(config);
    CheckpointPosition previous = null;
    String moveTo = null;
    if (checkpoint.exists()) {
      moveTo = checkpoint.location() + ".before-rewind-" + SUFFIX.format(now);
      try {
        previous = CheckpointPosition.read(checkpoint);
      } catch (NoCommittedBatchException e) {
        // nothing committed: nothing will be processed twice
      }
    }
    KafkaOffsets startAt = kafka.atTimestamp(kafka.partitions(config.kafka().topic()), to);
    return new RewindPlan(config, to, previous, moveTo, startAt);
  }

  /** Records below the old checkpoint's position and at or after the rewind point. */
  public long processedAgain(TopicPartition tp) {
    Long before = previous == null ? null : previous.offsets().offsets().get(tp);
    return before == null ? 0 : Math.max(0, before - startAt.offsets().get(tp));
  }

  /** Records the old checkpoint had not read yet and the new one starts after: never read. */
  public long skipped(TopicPartition tp) {
    Long before = previous == null ? null : previous.offsets().offsets().get(tp);
    return before == null ? 0 : Math.max(0, startAt.offsets().get(tp) - before);
  }

  public long processedAgain() {
    return startAt.offsets().keySet().stream().mapToLong(this::processedAgain).sum();
  }

  public boolean replacesCheckpoint() {
    return moveTo != null;
  }

  /** Moves the old checkpoint aside (never deletes it) and prepares the new one. */
  public RewindMarker execute(Instant now) {
    CheckpointFiles checkpoint = CheckpointFiles.of(config);
    if (moveTo != null) {
      checkpoint.renameTo(CheckpointFiles.of(moveTo, config));
    }
    checkpoint.mkdirs();
    RewindMarker marker = new RewindMarker(to.toString(), now.toString(), moveTo);
    marker.writeTo(checkpoint);
    return marker;
  }

  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "Rewind job '%s' to %s: a new checkpoint at %s starts at the first record at or after"
                + " that time.%n",
            config.jobName(), to, config.checkpointLocation()));
    if (moveTo == null) {
      out.append("No checkpoint there yet.\n");
    } else {
      out.append(
          String.format(
              "The checkpoint there (%s) will be moved aside (renamed, not deleted) to %s.%n",
              previous == null
                  ? "no committed batch"
                  : "last committed batch " + previous.batchId() + " at " + previous.committed(),
              moveTo));
    }
    String row = "%-24s %9s %12s %16s %16s%n";
    out.append(
        String.format(
            "%n" + row, "topic", "partition", "start at", "was committed", "processed again"));
    startAt
        .offsets()
        .forEach(
            (tp, offset) -> {
              Long before = previous == null ? null : previous.offsets().offsets().get(tp);
              out.append(
                  String.format(
                      row,
                      tp.topic(),
                      tp.partition(),
                      offset,
                      before == null ? "-" : before,
                      processedAgain(tp)));
            });
    out.append(String.format(row, "total", "", "", "", processedAgain()));
    long skipped = startAt.offsets().keySet().stream().mapToLong(this::skipped).sum();
    if (skipped > 0) {
      out.append(
          String.format(
              "%nWARNING: the rewind point is after the old checkpoint's position: %d records it"
                  + " had not read yet will never be read.%n",
              skipped));
    }
    if (processedAgain() > 0) {
      out.append(String.format("%n%s", duplicatesWarning()));
    } else if (previous == null) {
      out.append(
          String.format(
              "%nIf the tables already hold output of records after %s, the rewound job writes"
                  + " it again (see README, Rewind).%n",
              to));
    }
    return out.toString();
  }

  private String duplicatesWarning() {
    String ns = config.iceberg().catalogName() + "." + config.iceberg().namespace() + ".";
    String pg = config.postgres().schema() + ".";
    return String.format(
        "WARNING: %d records already processed will be processed again by a new query, which the"
            + " sinks' exactly-once ledger does not recognise. In the configured tables:%n"
            + "  Iceberg %s: rows appended again (duplicates)%n"
            + "  Iceberg %s: windows closed from now on count them twice%n"
            + "  Iceberg %s, PostgreSQL %s: recomputed with empty state from the rewind point"
            + " (sessions spanning it split, count windows regrouped, Iceberg rows appended"
            + " again)%n"
            + "  PostgreSQL %s: hits incremented again (doubled)%n"
            + "  PostgreSQL %s: unchanged (upsert by dedup_key); %s: the new query's batches"
            + " are added%n"
            + "For a clean replay, start the rewound job on new tables (--set"
            + " iceberg.namespace=<new> --set postgres.schema=<new>), or delete the output of the"
            + " replayed records first.%n",
        processedAgain(),
        names(ns, IcebergTables.EVENTS, IcebergTables.LATE_EVENTS, IcebergTables.DEAD_LETTERS),
        names(
            ns,
            IcebergTables.HITS_BY_HOST,
            IcebergTables.HITS_BY_HOST_REFERRER,
            IcebergTables.HITS_BY_HOST_SLIDING),
        names(ns, IcebergTables.SESSIONS, IcebergTables.COUNT_WINDOWS),
        names(pg, "sessions", "count_windows"),
        names(pg, "hits_by_host", "hits_by_host_referrer", "hits_by_host_sliding"),
        pg + "processed_events",
        pg + "pipeline_batches");
  }

  private static String names(String prefix, String... tables) {
    return List.of(tables).stream().map(t -> prefix + t).collect(Collectors.joining(", "));
  }
}
