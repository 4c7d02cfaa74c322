package io.webtraffic.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.webtraffic.testing.TestSpark;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** When the driver reloads and re-broadcasts: on a clock the test moves by hand. */
class SideInputsTest {
  static final Duration INTERVAL = Duration.ofHours(3);
  static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

  final SparkSession spark = TestSpark.session();
  final MovableClock clock = new MovableClock();
  final Deque<Object> loads = new ArrayDeque<>();
  int calls;

  SideInputs sideInputs() {
    return new SideInputs(
        () -> {
          calls++;
          Object next = loads.pop();
          if (next instanceof Exception e) {
            throw e;
          }
          return (Dimensions) next;
        },
        INTERVAL,
        clock);
  }

  static Dimensions version(String v) {
    return new Dimensions(IpRanges.of(List.of()), Map.of(), v);
  }

  @Test
  void reloadsOnlyOnceTheRefreshIntervalHasPassed() {
    loads.addAll(List.of(version("v1"), version("v2")));
    SideInputs side = sideInputs();
    Broadcast<Dimensions> first = side.forBatch(spark, 0);
    assertEquals("v1", first.value().version());

    clock.now = START.plus(INTERVAL).minusMillis(1);
    assertSame(first, side.forBatch(spark, 1), "just before the interval: the same broadcast");
    assertEquals(1, calls, "no reload before the interval");

    clock.now = START.plus(INTERVAL);
    Broadcast<Dimensions> second = side.forBatch(spark, 2);
    assertEquals("v2", second.value().version());
    assertEquals(2, calls);
    assertSame(second, side.forBatch(spark, 3), "the next interval counts from the reload");
  }

  @Test
  void unchangedDimensionsKeepTheirBroadcast() {
    loads.addAll(List.of(version("v1"), version("v1")));
    SideInputs side = sideInputs();
    Broadcast<Dimensions> first = side.forBatch(spark, 0);
    clock.now = START.plus(INTERVAL);
    assertSame(first, side.forBatch(spark, 1));
    assertEquals(2, calls);
  }

  @Test
  void aFailedRefreshKeepsTheCurrentVersionAndRetriesAtTheNextBatch() {
    loads.addAll(
        List.of(version("v1"), new java.sql.SQLException("Connection refused"), version("v2")));
    SideInputs side = sideInputs();
    Broadcast<Dimensions> first = side.forBatch(spark, 0);
    clock.now = START.plus(INTERVAL);
    assertSame(first, side.forBatch(spark, 1));
    assertEquals("v2", side.forBatch(spark, 2).value().version());
    assertEquals(3, calls);
  }

  @Test
  void aFirstLoadThatFailsStopsTheStart() {
    loads.add(new java.sql.SQLException("relation \"web.ip_ranges\" does not exist"));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> sideInputs().forBatch(spark, -1));
    assertEquals(
        "Cannot load the dimension tables: relation \"web.ip_ranges\" does not exist",
        e.getMessage());
  }

  final class MovableClock extends Clock {
    Instant now = START;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
