package io.webtraffic.generate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The few hundred clients traffic comes from, each with a stable address, browser and user, so the
 * pipeline's session windows find real sessions. Only a window of {@value #ACTIVE} clients is
 * active at a time and it moves on by one client every {@value #ROTATE_EVERY_MS} ms of simulated
 * time: a client is busy for about ten minutes, then idle for the better part of an hour, so
 * sessions also end.
 *
 * <p>Addresses come from the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
 * and 2001:db8::/32), which no real client uses.
 */
final class ClientPool {
  static final int SIZE = 300;
  static final int ACTIVE = 50;
  static final long ROTATE_EVERY_MS = 12_000;
  static final int BOTS = 8;

  private static final List<String> IPV4_PREFIXES =
      List.of("192.0.2.", "198.51.100.", "203.0.113.");
  private static final double IPV6_SHARE = 0.3;
  private static final List<String> LANGUAGES =
      List.of("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "pt-BR", "hi-IN");
  private static final int ACADEMIES = 5;
  private static final int MAX_USER_ID = 99_999;

  /** A client and the facts that stay the same across its requests; bots have no user. */
  record Client(
      String ip, UserAgent agent, Integer userId, Integer academyId, String acceptLanguage) {}

  private final List<Client> clients;
  private final List<Client> bots;

  ClientPool(SplittableRandom random) {
    Set<String> taken = new HashSet<>();
    this.clients = new ArrayList<>(SIZE);
    for (int i = 0; i < SIZE; i++) {
      clients.add(
          new Client(
              uniqueAddress(random, taken),
              UserAgent.browser(random),
              1 + random.nextInt(MAX_USER_ID),
              1 + random.nextInt(ACADEMIES),
              LANGUAGES.get(random.nextInt(LANGUAGES.size()))));
    }
    this.bots = new ArrayList<>(BOTS);
    for (int i = 0; i < BOTS; i++) {
      bots.add(
          new Client(uniqueAddress(random, taken), UserAgent.bot(random), null, null, "en-US"));
    }
  }

  /** A client from the window active at {@code nominalMs}. */
  Client active(long nominalMs, SplittableRandom random) {
    long first = Math.floorMod(Math.floorDiv(nominalMs, ROTATE_EVERY_MS), (long) SIZE);
    return clients.get((int) ((first + random.nextInt(ACTIVE)) % SIZE));
  }

  Client bot(SplittableRandom random) {
    return bots.get(random.nextInt(bots.size()));
  }

  private static String uniqueAddress(SplittableRandom random, Set<String> taken) {
    while (true) {
      String address = random.nextDouble() < IPV6_SHARE ? ipv6(random) : ipv4(random);
      if (taken.add(address)) {
        return address;
      }
    }
  }

  private static String ipv4(SplittableRandom random) {
    return IPV4_PREFIXES.get(random.nextInt(IPV4_PREFIXES.size())) + (1 + random.nextInt(254));
  }

  /** Canonical (RFC 5952) text: lower-case hex, the zero run compressed. */
  private static String ipv6(SplittableRandom random) {
    return "2001:db8:"
        + Integer.toHexString(1 + random.nextInt(0xffff))
        + "::"
        + Integer.toHexString(1 + random.nextInt(0xffff));
  }
}
