package io.webtraffic.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.webtraffic.batch.BatchCounts;
import io.webtraffic.batch.KafkaTimes;
import io.webtraffic.config.PipelineConfig.Limit;
import io.webtraffic.config.PipelineConfig.QualityAction;
import io.webtraffic.config.PipelineConfig.QualitySettings;
import io.webtraffic.config.PipelineConfig.VolumeLimit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The checks' arithmetic on hand-made accounting: every expected value is worked out below. */
class QualityChecksTest {
  static final QualitySettings SETTINGS =
      new QualitySettings(
          List.of("url", "host"),
          new Limit(0.05, QualityAction.RECORD),
          new Limit(0.1, QualityAction.WARN),
          new Limit(0.05, QualityAction.STOP),
          new Limit(60, QualityAction.RECORD),
          new Limit(0.25, QualityAction.RECORD),
          new VolumeLimit(4, 2, 0.5, 2, QualityAction.STOP));

  // 20 records: 10 events, 4 duplicates, 1 late, 3 dead (2 malformed, 1 future), 2 filtered.
  static final BatchCounts COUNTS =
      new BatchCounts(
          20,
          10,
          4,
          1,
          3,
          2,
          new TreeMap<>(Map.of("malformed_json", 2L, "future_event_time", 1L)),
          new TreeMap<>(Map.of("bot", 2L)),
          0);

  static BatchProfile profile(long read, double skewSeconds) {
    Map<String, Long> nulls = new LinkedHashMap<>();
    nulls.put("url", 2L);
    nulls.put("host", 3L);
    return new BatchProfile(read, nulls, OptionalDouble.of(skewSeconds), KafkaTimes.NONE);
  }

  static Map<String, CheckResult> byCheck(List<CheckResult> results) {
    Map<String, CheckResult> m = new LinkedHashMap<>();
    results.forEach(r -> m.put(r.check(), r));
    return m;
  }

  @Test
  void eachCheckComparesItsShareOfTheRecordsReadWithItsLimit() {
    Map<String, CheckResult> r =
        byCheck(
            new QualityChecks(SETTINGS).evaluate(profile(20, 75), COUNTS, List.of(10L, 30L, 20L)));

    assertEquals(
        List.of(
            "required-null-share",
            "dead-letter-share",
            "future-skew-share",
            "event-time-skew",
            "duplicate-share",
            "volume"),
        List.copyOf(r.keySet()));
    // host is the worst required field: 3 of 20.
    assertEquals(0.15, r.get("required-null-share").value().getAsDouble(), 1e-12);
    assertFalse(r.get("required-null-share").passed());
    assertEquals("<= 0.05", r.get("required-null-share").threshold());
    assertEquals(
        "3 of 20 records; records lacking a usable field: url 2, host 3",
        r.get("required-null-share").detail());
    assertEquals(0.15, r.get("dead-letter-share").value().getAsDouble(), 1e-12);
    assertFalse(r.get("dead-letter-share").passed());
    assertEquals(QualityAction.WARN, r.get("dead-letter-share").action());
    // 1 of 20 is exactly at the limit 0.05: passes.
    assertEquals(0.05, r.get("future-skew-share").value().getAsDouble(), 1e-12);
    assertTrue(r.get("future-skew-share").passed());
    // 17 records that are not dead letters: too few for a p99, recorded but not judged.
    assertEquals(75.0, r.get("event-time-skew").value().getAsDouble(), 1e-12);
    assertTrue(r.get("event-time-skew").passed());
    assertEquals("<= 60 s", r.get("event-time-skew").threshold());
    assertEquals(
        "p99 not judged: 17 records that are not dead letters, 100 needed (the p99 of fewer is"
            + " their maximum)",
        r.get("event-time-skew").detail());
    assertEquals(0.2, r.get("duplicate-share").value().getAsDouble(), 1e-12);
    assertTrue(r.get("duplicate-share").passed());
    // Median of 10, 30, 20 is 20; 20 / 20 = 1.
    assertEquals(1.0, r.get("volume").value().getAsDouble(), 1e-12);
    assertTrue(r.get("volume").passed());
    assertEquals("0.5 .. 2", r.get("volume").threshold());
    assertFalse(r.values().stream().anyMatch(CheckResult::stops));
  }

  @Test
  void eventTimeSkewIsJudgedFromOneHundredRecordsThatAreNotDeadLetters() {
    // 103 read, 3 dead: 100 usable records, a p99 of 75 s against 60 s fails; 61 s too; 60 passes.
    BatchCounts hundred =
        new BatchCounts(103, 93, 4, 1, 3, 2, Map.of("malformed_json", 3L), Map.of("bot", 2L), 0);
    QualityChecks checks = new QualityChecks(SETTINGS);

    CheckResult over =
        byCheck(checks.evaluate(profile(103, 75), hundred, List.of())).get("event-time-skew");
    assertFalse(over.passed());
    assertEquals(
        "p99 of |Kafka timestamp - event_time| in seconds, over records that are not dead letters",
        over.detail());
    assertFalse(
        byCheck(checks.evaluate(profile(103, 61), hundred, List.of()))
            .get("event-time-skew")
            .passed());
    assertTrue(
        byCheck(checks.evaluate(profile(103, 60), hundred, List.of()))
            .get("event-time-skew")
            .passed());

    // One record fewer: 99 usable, not judged.
    BatchCounts ninetyNine =
        new BatchCounts(102, 92, 4, 1, 3, 2, Map.of("malformed_json", 3L), Map.of("bot", 2L), 0);
    assertTrue(
        byCheck(checks.evaluate(profile(102, 75), ninetyNine, List.of()))
            .get("event-time-skew")
            .passed());
  }

  @Test
  void volumeFarBelowTheRecentMedianFailsAndNeedsEnoughHistory() {
    QualityChecks checks = new QualityChecks(SETTINGS);
    // Median of 50 and 60 is 55: 20 / 55 = 0.3636..., below 0.5.
    CheckResult low =
        byCheck(checks.evaluate(profile(20, 1), COUNTS, List.of(50L, 60L))).get("volume");
    assertEquals(20 / 55.0, low.value().getAsDouble(), 1e-12);
    assertTrue(low.stops());
    assertEquals("read 20 records; median of the last 2 batches 55", low.detail());

    CheckResult young =
        byCheck(checks.evaluate(profile(20, 1), COUNTS, List.of(500L))).get("volume");
    assertTrue(young.value().isEmpty());
    assertTrue(young.passed());
    assertEquals("1 earlier batches with records, 2 needed", young.detail());

    assertEquals(25.0, QualityChecks.median(List.of(10L, 30L, 20L, 40L)));
  }

  @Test
  void aBatchWithoutRecordsPassesEveryCheckWithoutAValue() {
    BatchCounts none = new BatchCounts(0, 0, 0, 0, 0, 0, Map.of(), Map.of(), 0);
    BatchProfile empty =
        new BatchProfile(0, Map.of("url", 0L, "host", 0L), OptionalDouble.empty(), KafkaTimes.NONE);

    List<CheckResult> results = new QualityChecks(SETTINGS).evaluate(empty, none, List.of(5L, 5L));

    assertEquals(6, results.size());
    assertTrue(
        results.stream().allMatch(r -> r.passed() && r.value().isEmpty()), results.toString());
  }

  @Test
  void aStopNamesTheCheckTheValueTheLimitAndTheWayOn() {
    CheckResult failed =
        byCheck(new QualityChecks(SETTINGS).evaluate(profile(20, 1), COUNTS, List.of(50L, 60L)))
            .get("volume");

    assertEquals(
        "Data-quality check failed with action stop at batch 7: volume = 0.3636 (allowed 0.5 .. 2;"
            + " read 20 records; median of the last 2 batches 55). Nothing of batch 7 was"
            + " committed; its check results are in web.data_quality. To go on, change the limit or"
            + " the action (record, warn) of pipeline.quality.volume and start the job again (it"
            + " re-runs batch 7), or move past the batch with scripts/pipeline rewind",
        new DataQualityStop(7, List.of(failed), "web.data_quality").getMessage());
  }
}
