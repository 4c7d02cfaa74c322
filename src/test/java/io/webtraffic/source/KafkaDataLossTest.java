package io.webtraffic.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaDataLossTest {
  /** The first line of Spark 3.5's executor-side failure, as the job saw it in DataLossTest. */
  static final String SPARK =
      "Cannot fetch offset 5 (GroupId: spark-kafka-source-12ab54b9--1741982253-executor,"
          + " TopicPartition: web-events-3). \nSome data may have been lost because they are not"
          + " available in Kafka any more;";

  @Test
  void sparksFailureDeepInTheCausesIsSaidInOneLineWithTheWaysOn() {
    Exception failure =
        new RuntimeException(
            "Query webtraffic terminated with exception: Job aborted",
            new IllegalStateException("Job aborted", new IllegalStateException(SPARK)));

    assertEquals(
        Optional.of(
            "Cannot read web-events-3 from offset 5: the records are no longer in Kafka (aged out"
                + " by retention or deleted). "
                + KafkaDataLoss.WAYS_ON),
        KafkaDataLoss.explain(failure));
  }

  @Test
  void otherFailuresAreLeftAlone() {
    assertEquals(Optional.empty(), KafkaDataLoss.explain(new IllegalStateException("disk full")));
  }

  @Test
  void gapsNameEachPartitionAndHowManyRecordsAreLost() {
    assertEquals(
        "cannot read web-events-0 from offset 5 (the log now starts at 8: 3 records lost),"
            + " web-events-1 from offset 0 (the log now starts at 1: 1 records lost); the records"
            + " are no longer in Kafka (aged out by retention or deleted). "
            + KafkaDataLoss.WAYS_ON,
        KafkaDataLoss.message(
            List.of(
                new KafkaDataLoss.Gap(new TopicPartition("web-events", 0), 5, 8),
                new KafkaDataLoss.Gap(new TopicPartition("web-events", 1), 0, 1))));
  }
}
