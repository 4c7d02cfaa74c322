package io.webtraffic.it;

import static io.webtraffic.testing.PartitionedEvents.inEventsTable;
import static io.webtraffic.testing.PartitionedEvents.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.AvailableNowRun;
import io.webtraffic.testing.TestPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a new checkpoint starts reading, for each kind of {@code kafka.starting-position}, on the
 * real broker: hand-made records on chosen partitions at chosen times, and exactly the ones the
 * setting selects in the events table and in the accounting.
 */
@ExtendWith(SharedStack.class)
class StartingPositionsTest {
  // Recent, so the broker's time-based retention keeps the records.
  static final Instant T = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));

  @TempDir static Path workDir;

  static Instant at(int seconds) {
    return T.plusSeconds(seconds);
  }

  TestPipeline pipeline(String name, int partitions, String startingPosition) {
    TestPipeline p =
        new TestPipeline(
            name,
            SharedStack.endpoints(),
            workDir,
            Map.of("kafka.starting-position", startingPosition));
    SharedStack.kafka().createTopic(p.topic(), partitions);
    return p;
  }

  @Test
  void earliestReadsEveryRecordAlreadyInTheTopic() throws Exception {
    TestPipeline p = pipeline("start_earliest", 2, "earliest");
    List<String> sent = new ArrayList<>();
    sent.addAll(send(SharedStack.endpoints(), p.topic(), 0, at(0), at(1), at(2)));
    sent.addAll(send(SharedStack.endpoints(), p.topic(), 1, at(3), at(4)));

    long read = AvailableNowRun.recordsRead(AvailableNowRun.run(p.config()));

    assertEquals(List.of("0:0", "0:1", "0:2", "1:0", "1:1"), sent);
    assertEquals(sent, inEventsTable(p));
    assertEquals(5, read);
  }

  @Test
  void latestSkipsWhatWasThereAtTheFirstStartAndReadsWhatCameAfter() throws Exception {
    TestPipeline p = pipeline("start_latest", 2, "latest");
    send(SharedStack.endpoints(), p.topic(), 0, at(0), at(1));
    send(SharedStack.endpoints(), p.topic(), 1, at(2));

    // The first start fixes "latest" in the checkpoint, even with nothing to read.
    long firstRead = AvailableNowRun.recordsRead(AvailableNowRun.run(p.config()));
    List<String> after = new ArrayList<>();
    after.addAll(send(SharedStack.endpoints(), p.topic(), 0, at(3)));
    after.addAll(send(SharedStack.endpoints(), p.topic(), 1, at(4), at(5)));
    long secondRead = AvailableNowRun.recordsRead(AvailableNowRun.run(p.config()));

    assertEquals(0, firstRead);
    assertEquals(List.of("0:2", "1:1", "1:2"), after);
    assertEquals(after, inEventsTable(p));
    assertEquals(3, secondRead);
  }

  @Test
  void explicitOffsetsStartEachPartitionWhereTheySay() throws Exception {
    String topic = "topic-start_offsets";
    // Partition 0 from offset 2, partition 1 from its start (-2), partition 2 from its end (-1).
    TestPipeline p =
        pipeline("start_offsets", 3, "{\"" + topic + "\":{\"0\":2,\"1\":-2,\"2\":-1}}");
    send(SharedStack.endpoints(), topic, 0, at(0), at(1), at(2), at(3));
    send(SharedStack.endpoints(), topic, 1, at(4), at(5));
    send(SharedStack.endpoints(), topic, 2, at(6), at(7));

    long read = AvailableNowRun.recordsRead(AvailableNowRun.run(p.config()));

    assertEquals(List.of("0:2", "0:3", "1:0", "1:1"), inEventsTable(p));
    assertEquals(4, read);
  }

  @Test
  void aTimestampStartsEachPartitionAtItsFirstRecordThatRecent() throws Exception {
    TestPipeline p = pipeline("start_timestamp", 3, "timestamp:" + at(12));
    send(SharedStack.endpoints(), p.topic(), 0, at(0), at(10), at(20), at(30));
    send(SharedStack.endpoints(), p.topic(), 1, at(5), at(15));
    // Nothing at or after 12 s here: the partition starts at its end instead of failing the query.
    send(SharedStack.endpoints(), p.topic(), 2, at(1));

    long read = AvailableNowRun.recordsRead(AvailableNowRun.run(p.config()));

    assertEquals(List.of("0:2", "0:3", "1:1"), inEventsTable(p));
    assertEquals(3, read);
  }

  @Test
  void dataLossFailsTheJobByDefault() {
    assertTrue(
        new TestPipeline("defaults", SharedStack.endpoints(), workDir, Map.of())
            .config()
            .kafka()
            .failOnDataLoss());
  }
}
