package io.webtraffic.it;

import static io.webtraffic.testing.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.webtraffic.generate.EventGenerator;
import io.webtraffic.generate.GeneratedRecord;
import io.webtraffic.generate.GeneratorSettings;
import io.webtraffic.job.BatchReport;
import io.webtraffic.local.SharedStack;
import io.webtraffic.testing.TestPipeline;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's default traffic against the quality checks' defaults, through the real job: a
 * normal run passes every check, and the event-time skew check fires when, and only when, the
 * generator is asked for traffic that is actually off (5 % of it an hour late).
 */
@ExtendWith(SharedStack.class)
class QualityDefaultsTest {
  private static final int RECORDS = 3000;

  @TempDir static Path workDir;

  /** 3000 records at 100 per simulated second, the last 30 s: one batch of recent traffic. */
  static List<TestPipeline.Message> traffic(GeneratorSettings.Builder mix) {
    GeneratorSettings settings =
        mix.count(RECORDS)
            .ratePerSecond(100)
            .start(Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS))
            .build();
    List<TestPipeline.Message> messages = new ArrayList<>();
    for (GeneratedRecord r : EventGenerator.records(settings)) {
      messages.add(new TestPipeline.Message(r.key(), r.value(), r.timestampMs()));
    }
    return messages;
  }

  static TestPipeline pipeline(String name, List<TestPipeline.Message> records) {
    TestPipeline p = new TestPipeline(name, SharedStack.endpoints(), workDir, Map.of());
    SharedStack.kafka().createTopic(p.topic(), 1);
    p.send(records);
    return p;
  }

  @Test
  void theDefaultMixPassesEveryDefaultCheck() throws Exception {
    TestPipeline p = pipeline("dq_defaults", traffic(GeneratorSettings.builder()));
    List<BatchReport> reports = p.runToCompletion();

    assertEquals(RECORDS, reports.get(0).counts().read());
    reports.forEach(r -> assertEquals(List.of(), r.failedChecks(), r.toString()));
    try (Connection c = p.postgres()) {
      // jitter moves events back at most 30 s; late and future records are too few to matter
      assertEquals(
          List.of("true|true"),
          rows(
              c,
              "SELECT bool_and(passed) || '|' || (max(value) <= 30) FROM "
                  + p.pgTable("data_quality")
                  + " WHERE check_name = 'event-time-skew' AND batch_id = 0"));
    }
  }

  @Test
  void fivePercentOfEventsAnHourLateFailTheSkewCheckOnly() throws Exception {
    TestPipeline p = pipeline("dq_late", traffic(GeneratorSettings.builder().lateFraction(0.05)));
    List<BatchReport> reports = p.runToCompletion();

    assertEquals(RECORDS, reports.get(0).counts().read());
    assertEquals(List.of("event-time-skew"), reports.get(0).failedChecks());
    try (Connection c = p.postgres()) {
      // a late record's Kafka timestamp is its nominal time, its event_time one hour earlier
      assertEquals(
          List.of("3600|<= 900 s|record|false"),
          rows(
              c,
              "SELECT value || '|' || threshold || '|' || action || '|' || passed"
                  + " FROM "
                  + p.pgTable("data_quality")
                  + " WHERE check_name = 'event-time-skew'"
                  + " AND batch_id = 0"));
    }
  }
}
