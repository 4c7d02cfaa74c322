package io.webtraffic.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Serializes a draft the way its producer generation does. The older one sends {@code user_agent}
 * and {@code headers} as JSON documents inside strings; the newer one nests them and adds {@code
 * user_id} and {@code academy_id}. Fields go in a fixed order, so equal drafts give equal bytes.
 */
final class EventEncoder {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Always three fraction digits, as the producers write it. */
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private EventEncoder() {}

  static String eventTime(Instant time) {
    return EVENT_TIME.format(time);
  }

  /** The event as a JSON tree, for callers that break it before serializing. */
  static ObjectNode tree(EventDraft draft) {
    WebEvent event = draft.event();
    ObjectNode agent = agent(draft.agent());
    ObjectNode headers = headers(draft);
    ObjectNode tree = MAPPER.createObjectNode();
    tree.put("url", event.url());
    tree.put("referrer", event.referrer());
    if (event.newProducer()) {
      tree.set("user_agent", agent);
      tree.set("headers", headers);
    } else {
      tree.put("user_agent", text(agent));
      tree.put("headers", text(headers));
    }
    tree.put("host", event.host());
    tree.put("ip", event.ip());
    if (event.userId() != null) {
      tree.put("user_id", event.userId());
    }
    if (event.academyId() != null) {
      tree.put("academy_id", event.academyId());
    }
    tree.put("event_time", eventTime(event.eventTime()));
    if (draft.experiment() != null) {
      tree.put("experiment", draft.experiment());
    }
    return tree;
  }

  static byte[] bytes(EventDraft draft) {
    return bytes(tree(draft));
  }

  static byte[] bytes(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot serialize a generated event", e);
    }
  }

  private static ObjectNode agent(UserAgent agent) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("family", agent.family());
    node.put("major", agent.major());
    node.put("minor", agent.minor());
    node.put("patch", agent.patch());
    node.putObject("device").put("family", agent.device());
    node.putObject("os").put("family", agent.os());
    return node;
  }

  private static ObjectNode headers(EventDraft draft) {
    WebEvent event = draft.event();
    ObjectNode headers = MAPPER.createObjectNode();
    headers.put("host", event.host());
    if (event.newProducer()) {
      headers.put("accept", accept(event));
    }
    headers.put("accept-language", draft.acceptLanguage());
    if (!event.newProducer()) {
      headers.put("x-forwarded-for", event.ip());
    }
    return headers;
  }

  private static String accept(WebEvent event) {
    if (event.url().startsWith("/api/")) {
      return "application/json";
    }
    return event.filtered() ? "*/*" : "text/html";
  }

  private static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot serialize a generated event", e);
    }
  }
}
