package io.webtraffic.generate;

import static io.webtraffic.generate.TestRecords.BOT_AGENT;
import static io.webtraffic.generate.TestRecords.HEALTH_PATH;
import static io.webtraffic.generate.TestRecords.JSON;
import static io.webtraffic.generate.TestRecords.STATIC_PATH;
import static io.webtraffic.generate.TestRecords.generate;
import static io.webtraffic.generate.TestRecords.ofKind;
import static io.webtraffic.generate.TestRecords.parse;
import static io.webtraffic.generate.TestRecords.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventShapesTest {
  private static final Pattern EVENT_TIME =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  private static final List<String> REQUIRED =
      List.of("url", "referrer", "user_agent", "headers", "host", "ip");

  private static final List<GeneratedRecord> RECORDS =
      generate(
          settings()
              .count(20_000)
              .duplicateFraction(0.05)
              .jitterFraction(0.2)
              .lateFraction(0.05)
              .malformedFraction(0.05)
              .futureFraction(0.05)
              .filteredFraction(0.1)
              .build());

  @Test
  void everyDecodableRecordIsAnEventObjectWithTheRequiredFields() {
    for (GeneratedRecord record : RECORDS) {
      if (record.kind() == Kind.MALFORMED) {
        continue;
      }
      JsonNode json = parse(record);
      assertNotNull(json, () -> "not JSON: " + record);
      for (String field : REQUIRED) {
        assertTrue(json.has(field), () -> "no " + field + " in " + record);
      }
      assertTrue(
          EVENT_TIME.matcher(json.get("event_time").asText()).matches(),
          () -> "event_time of " + record);
      assertFalse(json.has("event_id"), "real traffic has no event id");
    }
  }

  @Test
  void theJsonSaysWhatTheEventSays() {
    for (GeneratedRecord record : RECORDS) {
      if (record.kind() == Kind.MALFORMED) {
        continue;
      }
      JsonNode json = parse(record);
      WebEvent event = record.event();
      assertEquals(event.url(), json.get("url").asText());
      assertEquals(
          event.referrer(), json.get("referrer").isNull() ? null : json.get("referrer").asText());
      assertEquals(event.host(), json.get("host").asText());
      assertEquals(event.ip(), json.get("ip").asText());
      assertEquals(event.eventTime(), Instant.parse(json.get("event_time").asText()));
      JsonNode agent = userAgent(json);
      assertEquals(event.userAgentFamily(), agent.get("family").asText());
      assertEquals(event.deviceFamily(), agent.get("device").get("family").asText());
      assertEquals(event.osFamily(), agent.get("os").get("family").asText());
      assertEquals(event.ip(), record.keyText(), "the Kafka key is the client address");
    }
  }

  @Test
  void olderProducersSendUserAgentAndHeadersAsJsonStringsWithoutUserIds() throws IOException {
    List<GeneratedRecord> older =
        RECORDS.stream().filter(r -> r.event() != null && !r.event().newProducer()).toList();

    assertFalse(older.isEmpty());
    for (GeneratedRecord record : older) {
      JsonNode json = parse(record);
      assertTrue(json.get("user_agent").isTextual());
      assertTrue(json.get("headers").isTextual());
      assertTrue(JSON.readTree(json.get("user_agent").asText()).isObject());
      assertTrue(JSON.readTree(json.get("headers").asText()).isObject());
      assertFalse(json.has("user_id"));
      assertFalse(json.has("academy_id"));
      assertNull(record.event().userId());
    }
  }

  @Test
  void newerProducersNestUserAgentAndHeadersAndSendUserIds() {
    List<GeneratedRecord> newer =
        RECORDS.stream()
            .filter(
                r ->
                    r.event() != null
                        && r.event().newProducer()
                        && !WebEvent.BOT.equals(r.event().filterReason()))
            .toList();

    assertFalse(newer.isEmpty());
    for (GeneratedRecord record : newer) {
      JsonNode json = parse(record);
      JsonNode agent = json.get("user_agent");
      assertTrue(agent.isObject());
      for (String field : List.of("family", "major", "minor", "patch")) {
        assertTrue(agent.has(field), "user_agent." + field);
      }
      assertTrue(agent.get("device").isObject());
      assertTrue(agent.get("os").isObject());
      assertTrue(json.get("headers").isObject());
      assertEquals(record.event().host(), json.get("headers").get("host").asText());
      assertTrue(json.get("user_id").isInt());
      assertTrue(json.get("academy_id").isInt());
      assertEquals(record.event().userId(), json.get("user_id").asInt());
    }
  }

  @Test
  void someNewerEventsCarryAnUnknownExtraField() {
    long withExperiment =
        RECORDS.stream()
            .map(TestRecords::parse)
            .filter(json -> json != null && json.has("experiment"))
            .count();

    assertTrue(withExperiment > 0);
  }

  @Test
  void theProducerGenerationShareFollowsTheSetting() {
    List<GeneratedRecord> allOld =
        generate(settings().onlyValid().count(500).newProducerFraction(0).build());
    List<GeneratedRecord> allNew =
        generate(settings().onlyValid().count(500).newProducerFraction(1).build());

    assertTrue(allOld.stream().noneMatch(r -> r.event().newProducer()));
    assertTrue(allNew.stream().allMatch(r -> r.event().newProducer()));
  }

  @Test
  void clientsUseBothAddressFamiliesFromALimitedPool() throws UnknownHostException {
    // two simulated hours, so the active window of clients goes round the whole pool
    List<GeneratedRecord> twoHours = generate(settings().ratePerSecond(1).count(7200).build());
    Set<String> addresses = new HashSet<>();
    boolean ipv4 = false;
    boolean ipv6 = false;
    for (GeneratedRecord record : twoHours) {
      if (record.event() != null) {
        String ip = record.event().ip();
        addresses.add(ip);
        InetAddress address = InetAddress.getByName(ip); // literals only: no DNS lookup
        assertEquals(
            ip, address.getHostAddress().replaceAll("(^|:)0(:0)+(:|$)", "::").replace(":::", "::"));
        ipv4 |= address instanceof Inet4Address;
        ipv6 |= address instanceof Inet6Address;
      }
    }

    assertTrue(ipv4 && ipv6);
    assertTrue(
        addresses.size() > ClientPool.SIZE * 9 / 10, "a few hundred clients, " + addresses.size());
    assertTrue(addresses.size() <= ClientPool.SIZE + ClientPool.BOTS);
  }

  @Test
  void referrersAreOftenNullSometimesASearchEngineSometimesAnInternalPage() {
    List<String> referrers =
        ofKind(RECORDS, Kind.VALID).stream().map(r -> r.event().referrer()).toList();

    assertTrue(referrers.contains(null));
    assertTrue(referrers.contains("https://www.google.com/"));
    assertTrue(
        referrers.stream()
            .anyMatch(r -> r != null && r.startsWith("https://www.example-academy.io/")));
    double none = referrers.stream().filter(r -> r == null).count() / (double) referrers.size();
    assertEquals(0.45, none, 0.05);
  }

  @Test
  void validTrafficNeverLooksLikeFilteredTraffic() {
    for (Kind kind : List.of(Kind.VALID, Kind.LATE, Kind.FUTURE, Kind.DUPLICATE)) {
      for (GeneratedRecord record : ofKind(RECORDS, kind)) {
        WebEvent event = record.event();
        assertFalse(STATIC_PATH.matcher(event.url()).matches(), () -> "asset-like: " + record);
        assertFalse(HEALTH_PATH.matcher(event.url()).matches(), () -> "health-like: " + record);
        assertFalse(
            BOT_AGENT.matcher(event.userAgentFamily()).matches(), () -> "bot-like: " + record);
        assertFalse(UserAgent.botFamilies().contains(event.userAgentFamily()));
        assertTrue(settings().build().hosts().contains(event.host()));
        assertNull(event.filterReason());
      }
    }
  }

  @Test
  void filteredTrafficMatchesExactlyTheRuleItsReasonNames() {
    Set<String> reasons = new HashSet<>();
    for (GeneratedRecord record : ofKind(RECORDS, Kind.FILTERED)) {
      WebEvent event = record.event();
      reasons.add(event.filterReason());
      boolean asset = STATIC_PATH.matcher(event.url()).matches();
      boolean health = HEALTH_PATH.matcher(event.url()).matches();
      boolean bot = BOT_AGENT.matcher(event.userAgentFamily()).matches();
      assertEquals(WebEvent.STATIC_ASSET.equals(event.filterReason()), asset, record::toString);
      assertEquals(WebEvent.HEALTH_CHECK.equals(event.filterReason()), health, record::toString);
      assertEquals(WebEvent.BOT.equals(event.filterReason()), bot, record::toString);
      assertNotNull(parse(record), "filtered records are well-formed");
    }

    assertEquals(Set.of(WebEvent.STATIC_ASSET, WebEvent.HEALTH_CHECK, WebEvent.BOT), reasons);
  }

  @Test
  void malformedRecordsCannotBeDecodedIntoAnEvent() {
    Set<Malformation> seen = EnumSet.noneOf(Malformation.class);
    for (GeneratedRecord record : ofKind(RECORDS, Kind.MALFORMED)) {
      seen.add(record.malformation());
      assertNull(record.event());
      JsonNode json = parse(record);
      switch (record.malformation()) {
        case TRUNCATED_JSON -> {
          assertNull(json, record::toString);
          assertTrue(record.valueText().startsWith("{\"url\":"), "a valid event, cut short");
          assertNotNull(record.key());
        }
        case NOT_JSON -> {
          assertNull(json, record::toString);
          assertNull(record.key(), "text from elsewhere has no key");
        }
        case MISSING_HOST -> {
          assertTrue(json.has("event_time") && json.has("url") && json.has("ip"));
          assertFalse(json.has("host"));
        }
        case MISSING_EVENT_TIME -> {
          assertTrue(json.has("host") && json.has("url") && json.has("ip"));
          assertFalse(json.has("event_time"));
        }
        case BAD_EVENT_TIME -> {
          String time = json.get("event_time").asText();
          assertThrows(DateTimeParseException.class, () -> Instant.parse(time), time);
          assertFalse(time.matches("\\d{4}-\\d\\d-\\d\\d.*"), "not even a date: " + time);
        }
      }
    }

    assertEquals(EnumSet.allOf(Malformation.class), seen);
  }

  @Test
  void aClientIsActiveForAWhileThenIdleSoSessionsEnd() {
    List<GeneratedRecord> twoHours =
        generate(settings().onlyValid().ratePerSecond(10).count(72_000).build());
    String ip = twoHours.get(0).event().ip();
    List<Long> times =
        twoHours.stream()
            .filter(r -> ip.equals(r.event().ip()))
            .map(GeneratedRecord::timestampMs)
            .toList();

    long longestGap = 0;
    for (int i = 1; i < times.size(); i++) {
      longestGap = Math.max(longestGap, times.get(i) - times.get(i - 1));
    }
    assertTrue(times.size() > 10, "several requests per visit");
    assertTrue(
        longestGap > 5 * 60_000,
        "a gap beyond a 5 minute session window, was " + longestGap + " ms");
  }

  private static JsonNode userAgent(JsonNode json) {
    JsonNode agent = json.get("user_agent");
    if (!agent.isTextual()) {
      return agent;
    }
    try {
      return JSON.readTree(agent.asText());
    } catch (IOException e) {
      throw new AssertionError("user_agent string is not JSON: " + agent, e);
    }
  }
}
