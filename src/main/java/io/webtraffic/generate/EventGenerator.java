package io.webtraffic.generate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Generates web-request records on a simulated clock: record {@code i} has the nominal time {@code
 * start + i / rate}, which is its Kafka timestamp, and its kind decides how its {@code event_time}
 * relates to that. Everything is drawn from random streams split off the seed, so equal settings
 * give byte-identical records whatever the wall clock says.
 *
 * <p>Distinct events never share the pipeline's dedup key (ip, host, url, event_time, user agent)
 * with another event of the same time regime (on time, late or future), so only DUPLICATE records
 * are dropped as duplicates.
 */
public final class EventGenerator implements Iterator<GeneratedRecord> {
  /** A producer retry re-sends something recent. */
  static final int RESEND_WINDOW = 50;

  /**
   * Redraws before giving up on a unique key; only reachable at rates far beyond what the client
   * pool can make.
   */
  private static final int MAX_DRAWS = 1_000;

  private final GeneratorSettings settings;
  private final SimulatedClock clock;
  private final KindChooser kinds;
  private final TrafficModel traffic;
  private final SplittableRandom random;
  private final ResendBuffer resends = new ResendBuffer(RESEND_WINDOW);
  private final RecentKeys onTimeKeys;
  private final RecentKeys lateKeys = new RecentKeys(0);
  private final RecentKeys futureKeys = new RecentKeys(0);
  private long index;

  public EventGenerator(GeneratorSettings settings) {
    this.settings = settings;
    this.clock = new SimulatedClock(settings.start(), settings.ratePerSecond());
    SplittableRandom root = new SplittableRandom(settings.seed());
    this.kinds = new KindChooser(settings, root.split());
    this.traffic = new TrafficModel(settings, root.split());
    this.random = root.split();
    this.onTimeKeys = new RecentKeys(settings.maxJitter().toMillis());
  }

  /**
   * The records of {@code settings} as an iterable: each iteration starts again from the first
   * record.
   */
  public static Iterable<GeneratedRecord> records(GeneratorSettings settings) {
    return () -> new EventGenerator(settings);
  }

  public GeneratorSettings settings() {
    return settings;
  }

  /** How many records were generated so far. */
  public long generated() {
    return index;
  }

  @Override
  public boolean hasNext() {
    return settings.unbounded() || index < settings.count();
  }

  @Override
  public GeneratedRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException("All " + settings.count() + " records were generated");
    }
    long nominalMs = clock.nominalTime(index).toEpochMilli();
    Kind kind = kinds.next();
    boolean jittered = kinds.nextJittered();
    if (kind == Kind.DUPLICATE && resends.isEmpty()) {
      kind = Kind.VALID;
    }
    GeneratedRecord record =
        switch (kind) {
          case VALID -> valid(nominalMs, jittered);
          case DUPLICATE -> duplicate(nominalMs);
          case LATE -> late(nominalMs);
          case MALFORMED -> malformed(nominalMs);
          case FUTURE -> future(nominalMs);
          case FILTERED -> filtered(nominalMs);
        };
    index++;
    return record;
  }

  private GeneratedRecord valid(long nominalMs, boolean jittered) {
    long eventMs =
        jittered ? nominalMs - random.nextLong(1, settings.maxJitter().toMillis() + 1) : nominalMs;
    EventDraft draft =
        unique(
            onTimeKeys,
            nominalMs,
            () -> traffic.pageView(nominalMs, Instant.ofEpochMilli(eventMs)));
    GeneratedRecord record = wellFormed(Kind.VALID, jittered, draft, nominalMs);
    resends.add(record);
    return record;
  }

  /** The same key and value bytes as the original; only the Kafka timestamp is the retry's own. */
  private GeneratedRecord duplicate(long nominalMs) {
    GeneratedRecord original = resends.pick(random);
    return new GeneratedRecord(
        Kind.DUPLICATE,
        false,
        original.key().clone(),
        original.value().clone(),
        nominalMs,
        original.event(),
        null);
  }

  private GeneratedRecord late(long nominalMs) {
    Instant eventTime = Instant.ofEpochMilli(nominalMs).minus(settings.lateBy());
    long eventMs = eventTime.toEpochMilli();
    EventDraft draft = unique(lateKeys, eventMs, () -> traffic.pageView(nominalMs, eventTime));
    return wellFormed(Kind.LATE, false, draft, nominalMs);
  }

  private GeneratedRecord future(long nominalMs) {
    Instant eventTime = Instant.ofEpochMilli(nominalMs).plus(settings.futureBy());
    long eventMs = eventTime.toEpochMilli();
    EventDraft draft = unique(futureKeys, eventMs, () -> traffic.pageView(nominalMs, eventTime));
    return wellFormed(Kind.FUTURE, false, draft, nominalMs);
  }

  private GeneratedRecord filtered(long nominalMs) {
    Instant eventTime = Instant.ofEpochMilli(nominalMs);
    EventDraft draft = unique(onTimeKeys, nominalMs, () -> traffic.filtered(nominalMs, eventTime));
    return wellFormed(Kind.FILTERED, false, draft, nominalMs);
  }

  private GeneratedRecord malformed(long nominalMs) {
    Malformation malformation = kinds.nextMalformation();
    EventDraft draft = traffic.pageView(nominalMs, Instant.ofEpochMilli(nominalMs));
    MalformedValues.Broken broken = MalformedValues.of(malformation, draft, random);
    return new GeneratedRecord(
        Kind.MALFORMED, false, broken.key(), broken.value(), nominalMs, null, malformation);
  }

  private static GeneratedRecord wellFormed(
      Kind kind, boolean jittered, EventDraft draft, long nominalMs) {
    byte[] key = draft.event().ip().getBytes(StandardCharsets.UTF_8);
    return new GeneratedRecord(
        kind, jittered, key, EventEncoder.bytes(draft), nominalMs, draft.event(), null);
  }

  private EventDraft unique(RecentKeys keys, long referenceMs, Supplier<EventDraft> draw) {
    for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
      EventDraft draft = draw.get();
      if (keys.claim(
          draft.event().eventTime().toEpochMilli(), draft.dedupFingerprint(), referenceMs)) {
        return draft;
      }
    }
    throw new IllegalStateException(
        String.format(
            "Cannot generate record %d with a unique dedup key after %d draws: rate %s is too high for %d clients",
            index, MAX_DRAWS, settings.ratePerSecond(), ClientPool.SIZE));
  }
}
