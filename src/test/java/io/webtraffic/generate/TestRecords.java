package io.webtraffic.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Named times and helpers shared by the generator tests. */
final class TestRecords {
  static final Instant BEGINNING = Instant.parse("2026-11-20T10:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  /** What the pipeline's filter rules look for; VALID traffic must never match. */
  static final Pattern STATIC_PATH =
      Pattern.compile("^/static/.*|.*\\.(js|css|png|jpg|gif|svg|ico|woff2?|map)$");

  static final Pattern HEALTH_PATH = Pattern.compile("^/health(z)?$");
  static final Pattern BOT_AGENT =
      Pattern.compile("(?i).*(bot|spider|crawl|curl|python|wget|http-client|java/).*");

  private TestRecords() {}

  static GeneratorSettings.Builder settings() {
    return GeneratorSettings.builder().start(BEGINNING);
  }

  static List<GeneratedRecord> generate(GeneratorSettings settings) {
    List<GeneratedRecord> records = new ArrayList<>();
    EventGenerator.records(settings).forEach(records::add);
    return records;
  }

  static List<GeneratedRecord> ofKind(List<GeneratedRecord> records, Kind kind) {
    return records.stream().filter(record -> record.kind() == kind).toList();
  }

  /** The parsed value, or null when it is not JSON. */
  static JsonNode parse(GeneratedRecord record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      return null;
    }
  }
}
