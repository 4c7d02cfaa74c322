package io.webtraffic.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hostile-input corpus in {@code src/test/resources/hostile/}: raw Kafka values and keys, one
 * file each, and the outcome of each written by hand in {@code manifest.json}.
 */
public final class HostileCorpus {
  private static final String DIR = "hostile/";
  private static final String PAD = "@PAD@";
  private static final String NEST = "@NEST@";

  /** One record: its raw key and value (null when absent) and what must become of it. */
  public record Case(
      String name,
      String category,
      byte[] key,
      byte[] value,
      String outcome,
      String reason,
      Map<String, Object> fields) {}

  private HostileCorpus() {}

  public static List<Case> load() {
    JsonNode manifest = read("manifest.json", JsonNode.class);
    List<Case> cases = new ArrayList<>();
    for (JsonNode r : manifest.get("records")) {
      int pad = r.path("pad").asInt(0);
      int nest = r.path("nest").asInt(0);
      byte[] value =
          r.get("file").isNull() ? null : expand(bytes(r.get("file").asText()), pad, nest);
      byte[] key =
          r.has("key_file")
              ? bytes(r.get("key_file").asText())
              : r.get("key").isNull()
                  ? null
                  : r.get("key").asText().getBytes(StandardCharsets.UTF_8);
      JsonNode expect = r.get("expect");
      Map<String, Object> fields = new LinkedHashMap<>();
      expect
          .fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals("outcome") && !f.getKey().equals("reason")) {
                  JsonNode v = f.getValue();
                  fields.put(
                      f.getKey(),
                      v.isIntegralNumber() ? (Object) v.asLong() : expand(v.asText(), pad, nest));
                }
              });
      cases.add(
          new Case(
              r.get("file").isNull() ? "null-value" : r.get("file").asText(),
              r.get("category").asText(),
              key,
              value,
              expect.get("outcome").asText(),
              expect.path("reason").asText(null),
              fields));
    }
    return cases;
  }

  private static byte[] expand(byte[] value, int pad, int nest) {
    if (pad == 0 && nest == 0) {
      return value;
    }
    // The templates are ASCII around the marker, so expanding the text keeps every other byte.
    return expand(new String(value, StandardCharsets.ISO_8859_1), pad, nest)
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String expand(String text, int pad, int nest) {
    return text.replace(PAD, "a".repeat(pad))
        .replace(NEST, "{\"a\":".repeat(nest) + "1" + "}".repeat(nest));
  }

  private static byte[] bytes(String file) {
    try (InputStream in = HostileCorpus.class.getClassLoader().getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find test resource " + DIR + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(String file, Class<T> type) {
    try {
      return new ObjectMapper().readValue(bytes(file), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
