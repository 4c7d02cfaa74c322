package io.webtraffic.testing;

import io.webtraffic.generate.GeneratedRecord;
import io.webtraffic.generate.Kind;
import io.webtraffic.generate.WebEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the tables must hold, computed from the generator's own description of each record, without
 * any of the pipeline's code: the independent expectation the end-to-end tests compare against.
 */
public final class Truth {
  /** The fields the pipeline's dedup key is made of. */
  record Identity(
      String ip, String host, String url, Instant time, String ua, String device, String os) {
    static Identity of(WebEvent e) {
      return new Identity(
          e.ip(),
          e.host(),
          e.url(),
          e.eventTime(),
          e.userAgentFamily(),
          e.deviceFamily(),
          e.osFamily());
    }
  }

  public final Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
  private final Set<Identity> seen = new HashSet<>();
  public final List<WebEvent> events = new ArrayList<>();
  public final List<byte[]> deadValues = new ArrayList<>();
  public long late;
  public long duplicates;
  public Instant maxEventTime = Instant.EPOCH;

  /**
   * Adds one phase of records.
   *
   * @param lateRecordsAreLate whether this phase's LATE records fall behind the watermark (true
   *     once an earlier run has moved the watermark)
   */
  public void add(List<GeneratedRecord> records, boolean lateRecordsAreLate) {
    for (GeneratedRecord r : records) {
      kinds.merge(r.kind(), 1L, Long::sum);
      switch (r.kind()) {
        case MALFORMED, FUTURE -> deadValues.add(r.value());
        case FILTERED -> {}
        case LATE -> {
          max(r.event());
          if (lateRecordsAreLate) {
            late++;
          } else {
            accept(r.event());
          }
        }
        case VALID, DUPLICATE -> {
          max(r.event());
          accept(r.event());
        }
      }
    }
  }

  private void max(WebEvent e) {
    if (e.eventTime().isAfter(maxEventTime)) {
      maxEventTime = e.eventTime();
    }
  }

  private void accept(WebEvent e) {
    if (seen.add(Identity.of(e))) {
      events.add(e);
    } else {
      duplicates++;
    }
  }

  public long count(Kind kind) {
    return kinds.getOrDefault(kind, 0L);
  }

  public long read() {
    return kinds.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Hits per (window start, host) with windows of the given size aligned to the epoch. */
  public Map<String, Long> hitsByHost(Duration size, Instant closedBy) {
    Map<String, Long> hits = new TreeMap<>();
    for (WebEvent e : events) {
      Instant start = windowStart(e.eventTime(), size);
      if (closedBy == null || !start.plus(size).isAfter(closedBy)) {
        hits.merge(start + " " + e.host(), 1L, Long::sum);
      }
    }
    return hits;
  }

  public Map<String, Long> hitsByHostReferrer(Duration size) {
    Map<String, Long> hits = new TreeMap<>();
    for (WebEvent e : events) {
      String referrer = e.referrer() == null ? "" : e.referrer();
      hits.merge(windowStart(e.eventTime(), size) + " " + e.host() + " " + referrer, 1L, Long::sum);
    }
    return hits;
  }

  /**
   * Hits per (window start, window end, host) of sliding windows aligned to the epoch: every window
   * [k * slide, k * slide + size) that holds the event. Only windows ended by {@code closedBy} when
   * it is given.
   */
  public Map<String, Long> slidingHitsByHost(Duration size, Duration slide, Instant closedBy) {
    Map<String, Long> hits = new TreeMap<>();
    long sizeMs = size.toMillis();
    long slideMs = slide.toMillis();
    for (WebEvent e : events) {
      long t = e.eventTime().toEpochMilli();
      for (long start = Math.floorDiv(t, slideMs) * slideMs; start > t - sizeMs; start -= slideMs) {
        Instant end = Instant.ofEpochMilli(start + sizeMs);
        if (closedBy == null || !end.isAfter(closedBy)) {
          hits.merge(Instant.ofEpochMilli(start) + " " + end + " " + e.host(), 1L, Long::sum);
        }
      }
    }
    return hits;
  }

  /**
   * A session as the truth sees it: the events of an (ip, host) whose windows [t, t + gap] chain
   * together, overlapping or touching (Spark's session_window and Flink both merge touching
   * windows). {@code end} is the window's end, the last event plus the gap.
   */
  public record Session(
      String ip,
      String host,
      Instant start,
      Instant end,
      Instant lastEventTime,
      long events,
      long distinctUrls) {
    /**
     * Final once no event the job still accepts can touch it: an event at exactly {@code end}
     * would, and Spark accepts only events above the watermark.
     */
    public boolean closedBy(Instant watermark) {
      return !end.isAfter(watermark);
    }
  }

  /**
   * Every session of the accepted events: sorted by time, split only where an event comes more than
   * {@code gap} after the one before it (exactly one gap later still touches).
   */
  public List<Session> sessions(Duration gap) {
    Map<String, List<WebEvent>> byKey = new TreeMap<>();
    for (WebEvent e : events) {
      byKey.computeIfAbsent(e.ip() + " " + e.host(), k -> new ArrayList<>()).add(e);
    }
    List<Session> sessions = new ArrayList<>();
    for (List<WebEvent> list : byKey.values()) {
      list.sort(java.util.Comparator.comparing(WebEvent::eventTime));
      List<WebEvent> current = new ArrayList<>();
      for (WebEvent e : list) {
        if (!current.isEmpty()
            && e.eventTime().isAfter(current.get(current.size() - 1).eventTime().plus(gap))) {
          sessions.add(session(current, gap));
          current = new ArrayList<>();
        }
        current.add(e);
      }
      sessions.add(session(current, gap));
    }
    return sessions;
  }

  private static Session session(List<WebEvent> events, Duration gap) {
    WebEvent first = events.get(0);
    Instant last =
        events.get(events.size() - 1).eventTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    return new Session(
        first.ip(),
        first.host(),
        first.eventTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        last.plus(gap),
        last,
        events.size(),
        events.stream().map(WebEvent::url).distinct().count());
  }

  /** Accepted events per host. */
  public Map<String, Long> eventsByHost() {
    Map<String, Long> counts = new TreeMap<>();
    events.forEach(e -> counts.merge(e.host(), 1L, Long::sum));
    return counts;
  }

  static Instant windowStart(Instant t, Duration size) {
    long ms = size.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), ms) * ms);
  }
}
