package io.webtraffic.ops;

import io.webtraffic.source.KafkaAdmin;
import io.webtraffic.source.KafkaOffsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The operator's view of a job: its committed position next to the end of each Kafka partition, and
 * the lag between them. Rendered as a table for people and as JSON for machines.
 */
public record JobStatus(
    PositionFile.Position position,
    long pendingBatchId,
    List<PartitionLag> partitions,
    long totalLag,
    String positionFile) {

  /**
   * One partition. {@code committed} is null for a partition the checkpoint has not seen yet (added
   * to the topic later; Spark reads it from its start). {@code agedOut} counts records between the
   * committed offset and the log start, gone from Kafka before the job read them.
   */
  public record PartitionLag(
      String topic,
      int partition,
      Long committed,
      long logStart,
      long end,
      long lag,
      long agedOut) {

    static PartitionLag of(TopicPartition tp, Long committed, long logStart, long end) {
      long from = committed == null ? logStart : Math.max(committed, logStart);
      long agedOut = committed == null ? 0 : Math.max(0, logStart - committed);
      return new PartitionLag(
          tp.topic(), tp.partition(), committed, logStart, end, Math.max(0, end - from), agedOut);
    }
  }

  /** Asks Kafka where each of the checkpoint's topics starts and ends. */
  public static JobStatus of(
      String job, CheckpointPosition position, KafkaAdmin kafka, String positionFile) {
    Set<TopicPartition> all = new LinkedHashSet<>(position.offsets().offsets().keySet());
    position.offsets().offsets().keySet().stream()
        .map(TopicPartition::topic)
        .distinct()
        .forEach(topic -> all.addAll(kafka.partitions(topic)));
    KafkaOffsets start = kafka.earliest(all);
    KafkaOffsets end = kafka.latest(all);
    List<PartitionLag> partitions = new ArrayList<>();
    end.offsets()
        .forEach(
            (tp, endOffset) ->
                partitions.add(
                    PartitionLag.of(
                        tp,
                        position.offsets().offsets().get(tp),
                        start.offsets().get(tp),
                        endOffset)));
    return new JobStatus(
        PositionFile.Position.of(job, position),
        position.pendingBatchId(),
        partitions,
        partitions.stream().mapToLong(PartitionLag::lag).sum(),
        positionFile);
  }

  public String toJson() {
    return PositionFile.toJson(this);
  }

  public String toText() {
    StringBuilder out = new StringBuilder();
    PositionFile.Position p = position;
    out.append(
        String.format(
            "Job '%s', checkpoint %s, query %s%n"
                + "Last committed batch %d: planned %s, committed %s%n"
                + "Watermark %s%n",
            p.job(),
            p.checkpoint(),
            p.queryId(),
            p.batchId(),
            p.batchPlannedAt(),
            p.batchCommittedAt(),
            p.watermark()));
    if (pendingBatchId >= 0) {
      out.append(
          String.format(
              "Batch %d is planned but not committed (running now, or re-run on restart)%n",
              pendingBatchId));
    }
    String row = "%-24s %9s %12s %12s %12s %12s%n";
    out.append(
        String.format("%n" + row, "topic", "partition", "committed", "log start", "end", "lag"));
    for (PartitionLag l : partitions) {
      out.append(
          String.format(
              row,
              l.topic(),
              l.partition(),
              l.committed() == null ? "-" : l.committed(),
              l.logStart(),
              l.end(),
              l.lag()));
    }
    out.append(
        String.format(
            row,
            "total",
            "",
            partitions.stream().mapToLong(l -> l.committed() == null ? 0 : l.committed()).sum(),
            "",
            partitions.stream().mapToLong(PartitionLag::end).sum(),
            totalLag));
    for (PartitionLag l : partitions) {
      if (l.agedOut() > 0) {
        out.append(
            String.format(
                "%s-%d: %d records aged out of Kafka before the job read them (committed %d, log"
                    + " now starts at %d). With kafka.fail-on-data-loss=true the next run stops"
                    + " there: rewind (scripts/pipeline rewind --to <instant>) or skip them"
                    + " (--set kafka.fail-on-data-loss=false).%n",
                l.topic(), l.partition(), l.agedOut(), l.committed(), l.logStart()));
      }
    }
    if (positionFile != null) {
      out.append(String.format("%nPosition written to %s%n", positionFile));
    }
    return out.toString();
  }
}
