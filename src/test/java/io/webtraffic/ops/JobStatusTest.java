package io.webtraffic.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.ops.JobStatus.PartitionLag;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class JobStatusTest {
  static final TopicPartition P0 = new TopicPartition("web-events", 0);

  @Test
  void lagIsWhatIsLeftToReadFromTheCommittedOffset() {
    assertEquals(
        new PartitionLag("web-events", 0, 40L, 0, 42, 2, 0), PartitionLag.of(P0, 40L, 0, 42));
  }

  @Test
  void recordsBelowTheLogStartAreAgedOutNotLag() {
    assertEquals(
        new PartitionLag("web-events", 0, 5L, 8, 10, 2, 3), PartitionLag.of(P0, 5L, 8, 10));
  }

  @Test
  void aPartitionTheCheckpointHasNotSeenIsReadFromItsStart() {
    assertEquals(
        new PartitionLag("web-events", 0, null, 3, 10, 7, 0), PartitionLag.of(P0, null, 3, 10));
  }

  @Test
  void theTableNamesEveryPartitionTheTotalsAndAnyAgedOutRecords() {
    JobStatus status =
        new JobStatus(
            new PositionFile.Position(
                "webtraffic",
                "q-1",
                "/cp",
                41,
                "2026-11-23T04:19:58Z",
                "2026-11-23T04:20:01Z",
                "2026-11-23T04:09:32Z",
                Map.of()),
            42,
            List.of(PartitionLag.of(P0, 5L, 8, 10), PartitionLag.of(P0, 7L, 0, 7)),
            2,
            "/webtraffic-position.json");

    assertEquals(
        String.join(
            "\n",
            "Job 'webtraffic', checkpoint /cp, query q-1",
            "Last committed batch 41: planned 2026-11-23T04:19:58Z, committed 2026-11-23T04:20:01Z",
            "Watermark 2026-11-23T04:09:32Z",
            "Batch 42 is planned but not committed (running now, or re-run on restart)",
            "",
            "topic                    partition    committed    log start          end          lag",
            "web-events                       0            5            8           10            2",
            "web-events                       0            7            0            7            0",
            "total                                        12                        17            2",
            "web-events-0: 3 records aged out of Kafka before the job read them (committed 5, log"
                + " now starts at 8). With kafka.fail-on-data-loss=true the next run stops there:"
                + " rewind (scripts/pipeline rewind --to <instant>) or skip them (--set"
                + " kafka.fail-on-data-loss=false).",
            "",
            "Position written to /webtraffic-position.json",
            ""),
        status.toText().replace(System.lineSeparator(), "\n"));
  }
}
