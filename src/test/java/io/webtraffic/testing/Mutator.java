package io.webtraffic.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Breaks valid event records at random, the way a buggy or hostile producer would: flipped bytes,
 * deleted fields, swapped types, truncation, duplicated keys, huge strings, control characters and
 * escapes. Seeded, so a failing run can be replayed with its seed.
 */
public final class Mutator {
  /** What was done to a record; some mutations have one certain outcome. */
  public enum Mutation {
    NONE,
    FLIP_BYTES,
    DELETE_FIELD,
    SWAP_TYPE,
    TRUNCATE,
    DUPLICATE_KEY,
    HUGE_STRING,
    INJECT_ESCAPE,
    INSERT_GARBAGE
  }

  public record Mutated(Mutation mutation, byte[] value) {}

  static final List<String> FIELDS =
      List.of("url", "host", "ip", "event_time", "referrer", "user_agent", "user_id", "headers");
  static final List<String> SWAPS =
      List.of("42", "-1.5e308", "true", "null", "[]", "{\"x\":{}}", "\"42\"", "NaN", "\"\"");
  static final List<String> ESCAPES =
      List.of(
          "\\u0000", "\\ud800", "\\udfff", "\\n\\\\.\\n", "'; DROP TABLE t; --", "\\\\!", "\\t\\r");

  private final Random random;
  private final int hugeBytes;

  /** {@code hugeBytes}: the size of a huge string, above the record limit under test. */
  public Mutator(long seed, int hugeBytes) {
    this.random = new Random(seed);
    this.hugeBytes = hugeBytes;
  }

  public Mutated mutate(byte[] valid) {
    Mutation m = Mutation.values()[random.nextInt(Mutation.values().length)];
    String text = new String(valid, StandardCharsets.UTF_8);
    return new Mutated(
        m,
        switch (m) {
          case NONE -> valid;
          case FLIP_BYTES -> flip(valid);
          case DELETE_FIELD -> utf8(deleteField(text));
          case SWAP_TYPE -> utf8(swapType(text));
          case TRUNCATE -> Arrays.copyOf(valid, random.nextInt(valid.length));
          case DUPLICATE_KEY -> utf8(text.replaceFirst("^\\{", "{\"" + field() + "\":\"dup\","));
          case HUGE_STRING ->
              utf8(text.replaceFirst("^\\{", "{\"url\":\"/" + "h".repeat(hugeBytes) + "\","));
          case INJECT_ESCAPE -> utf8(injectIntoString(text));
          case INSERT_GARBAGE -> insertGarbage(valid);
        });
  }

  private byte[] flip(byte[] valid) {
    byte[] out = valid.clone();
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips; i++) {
      out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return out;
  }

  private byte[] insertGarbage(byte[] valid) {
    byte[] garbage = new byte[1 + random.nextInt(8)];
    random.nextBytes(garbage);
    int at = random.nextInt(valid.length + 1);
    byte[] out = new byte[valid.length + garbage.length];
    System.arraycopy(valid, 0, out, 0, at);
    System.arraycopy(garbage, 0, out, at, garbage.length);
    System.arraycopy(valid, at, out, at + garbage.length, valid.length - at);
    return out;
  }

  private String deleteField(String text) {
    return text.replaceFirst("\"" + field() + "\":(\"(\\\\.|[^\"\\\\])*\"|[^,}]*),?", "");
  }

  private String swapType(String text) {
    String swap = SWAPS.get(random.nextInt(SWAPS.size()));
    return text.replaceFirst(
        "(\"" + field() + "\":)(\"(\\\\.|[^\"\\\\])*\"|[-0-9.eE]+|true|false|null)",
        "$1" + java.util.regex.Matcher.quoteReplacement(swap));
  }

  private String injectIntoString(String text) {
    String escape = ESCAPES.get(random.nextInt(ESCAPES.size()));
    return text.replaceFirst(
        "(\"" + field() + "\":\")", "$1" + java.util.regex.Matcher.quoteReplacement(escape));
  }

  private String field() {
    return FIELDS.get(random.nextInt(FIELDS.size()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
