package io.webtraffic.window;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Session windows per (ip, host) on event time, as Flink and Spark define them: an event at t opens
 * the window [t, t + gap], and windows that overlap or only touch are one session (Spark's {@code
 * session_window} merges while {@code sessionStart <= currentSessionEnd}, Flink's {@code
 * TimeWindow.intersects} is inclusive at both ends). So a session is [first event, last event +
 * gap], and an event exactly one gap after the last still joins it. An event arriving out of order
 * can extend a session backwards or bridge two sessions into one; the merged session keeps the id
 * of the earlier one. When a session becomes final, see {@link #close}.
 */
public final class Sessions implements Serializable {
  /** What a session's row in a sink must become. */
  public enum Status {
    /** Still open: replace the row. */
    OPEN,
    /** Final: replace the row; it never changes again. */
    CLOSED,
    /** Merged into another session: delete the row. */
    MERGED
  }

  public record Change(SessionState session, Status status) {}

  private static final Comparator<SessionState> BY_START =
      Comparator.comparingLong(SessionState::getStartMs).thenComparing(SessionState::getId);

  private final long gapMs;

  public Sessions(Duration gap) {
    this.gapMs = gap.toMillis();
  }

  /**
   * Starts applying one batch's events of one (ip, host) to its open sessions, which the update
   * changes in place. The events come one at a time, so the caller need not hold the batch.
   */
  public Update begin(List<SessionState> open) {
    return new Update(open);
  }

  /**
   * One batch's update of one (ip, host)'s open sessions: {@link #add} each event in {@link
   * WindowEvent#ORDER} (the order is what makes a replayed batch give the same ids), then {@link
   * #finish}.
   */
  public final class Update {
    private final List<SessionState> open;
    private final Set<String> existing = new HashSet<>();
    private final Map<String, SessionState> touched = new LinkedHashMap<>();
    private final List<SessionState> mergedAway = new ArrayList<>();
    private long lastMs = Long.MIN_VALUE;

    private Update(List<SessionState> open) {
      this.open = open;
      open.forEach(s -> existing.add(s.getId()));
    }

    /** Applies the next event; events must come in time order. */
    public void add(WindowEvent e) {
      if (e.timeMs() < lastMs) {
        throw new IllegalArgumentException(
            "Session events must come in time order: " + e.timeMs() + " after " + lastMs);
      }
      lastMs = e.timeMs();
      List<SessionState> overlapping =
          open.stream().filter(s -> touches(e, s)).sorted(BY_START).toList();
      SessionState target;
      if (overlapping.isEmpty()) {
        target = start(e);
        open.add(target);
      } else {
        target = overlapping.get(0);
        extend(target, e);
        for (SessionState other : overlapping.subList(1, overlapping.size())) {
          absorb(target, other);
          open.remove(other);
          touched.remove(other.getId());
          if (existing.contains(other.getId())) {
            mergedAway.add(other);
          }
        }
      }
      touched.put(target.getId(), target);
    }

    /**
     * Closes the sessions the watermark has passed.
     *
     * @return every session this update changed, once each, with what its sink row must become
     */
    public List<Change> finish(long watermarkMs) {
      List<Change> changes = new ArrayList<>(close(open, watermarkMs));
      for (SessionState s : touched.values()) {
        if (open.contains(s)) {
          changes.add(new Change(s, Status.OPEN));
        }
      }
      mergedAway.forEach(s -> changes.add(new Change(s, Status.MERGED)));
      open.sort(BY_START);
      return changes;
    }
  }

  /** The end of a session's window: its last event plus the gap. */
  public long endMs(SessionState s) {
    return s.getLastMs() + gapMs;
  }

  /**
   * Whether the event's window [t, t + gap] overlaps or touches the session [start, last + gap].
   * The session's times are whole milliseconds, so comparing the event's exact time with them is
   * comparing its time rounded up with the session's end and rounded down with its start.
   */
  private boolean touches(WindowEvent e, SessionState s) {
    return e.ceilMs() <= endMs(s) && s.getStartMs() <= e.timeMs() + gapMs;
  }

  /**
   * Closes (removes and returns) the sessions whose end, last event plus the gap, is at or below
   * the watermark. Such a session is final: an event can only join it at or before its end (at the
   * end exactly, it touches), and Spark drops every event at or below the watermark as late, so
   * every event the job still accepts is later than the end. A session ending above the watermark
   * must stay open: an event at its end is still accepted and would join it. (An event time finer
   * than a millisecond just above the watermark is rounded up when compared with the end, see
   * {@link #touches}, so it cannot touch a session this closed.)
   */
  public List<Change> close(List<SessionState> open, long watermarkMs) {
    List<Change> closed = new ArrayList<>();
    for (SessionState s : List.copyOf(open)) {
      if (endMs(s) <= watermarkMs) {
        open.remove(s);
        closed.add(new Change(s, Status.CLOSED));
      }
    }
    return closed;
  }

  /**
   * The event-time timeout for the open sessions: Spark fires it once the watermark is past it
   * (strictly), that is when the watermark reaches the earliest end, the moment {@link #close}
   * closes that session. Empty when none is open.
   */
  public OptionalLong timeoutAt(List<SessionState> open) {
    return open.stream().mapToLong(s -> endMs(s) - 1).min();
  }

  /** A session's id: derived from its first event, so a replayed batch produces the same id. */
  static String idOf(WindowEvent first) {
    return UUID.nameUUIDFromBytes(("session:" + first.dedupKey()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static SessionState start(WindowEvent e) {
    SessionState s = new SessionState();
    s.setId(idOf(e));
    s.setIp(e.ip());
    s.setHost(e.host());
    s.setStartMs(e.timeMs());
    s.setLastMs(e.timeMs());
    s.setEvents(1);
    s.setUrls(new ArrayList<>(e.url() == null ? List.of() : List.of(e.url())));
    userAgent(s, e.uaFamily(), e.deviceFamily(), e.osFamily());
    return s;
  }

  private static void extend(SessionState s, WindowEvent e) {
    if (e.timeMs() < s.getStartMs()) {
      s.setStartMs(e.timeMs());
      userAgent(s, e.uaFamily(), e.deviceFamily(), e.osFamily());
    }
    s.setLastMs(Math.max(s.getLastMs(), e.timeMs()));
    s.setEvents(s.getEvents() + 1);
    if (e.url() != null) {
      addUrl(s, e.url());
    }
  }

  /** Merges {@code other} into {@code target}, which starts no later than it. */
  private static void absorb(SessionState target, SessionState other) {
    target.setLastMs(Math.max(target.getLastMs(), other.getLastMs()));
    target.setEvents(target.getEvents() + other.getEvents());
    target.setUrls(union(target.getUrls(), other.getUrls()));
  }

  /** Inserts into the sorted URL list in place: no copy of the list per event. */
  private static void addUrl(SessionState s, String url) {
    int at = Collections.binarySearch(s.getUrls(), url);
    if (at < 0) {
      List<String> urls =
          s.getUrls() instanceof ArrayList<String> list ? list : new ArrayList<>(s.getUrls());
      urls.add(-at - 1, url);
      s.setUrls(urls);
    }
  }

  private static List<String> union(List<String> a, List<String> b) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return new ArrayList<>(all);
  }

  private static void userAgent(SessionState s, String ua, String device, String os) {
    s.setUaFamily(ua);
    s.setDeviceFamily(device);
    s.setOsFamily(os);
  }
}
