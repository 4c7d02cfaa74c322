package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void asciiAndWellFormedMultiByteTextAreValid() {
    assertTrue(Utf8.isValid(new byte[0]));
    assertTrue(Utf8.isValid("{\"url\":\"/\"}".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(Utf8.isValid("café ✓ 😀".getBytes(StandardCharsets.UTF_8)));
    assertTrue(Utf8.isValid(bytes(0xEF, 0xBF, 0xBD)), "U+FFFD itself, sent as such");
  }

  @Test
  void everyKindOfMalformedSequenceIsInvalid() {
    assertFalse(Utf8.isValid(bytes('a', 0xFF)), "a byte UTF-8 never uses");
    assertFalse(Utf8.isValid(bytes('a', 0x80, 'b')), "a lone continuation byte");
    assertFalse(Utf8.isValid(bytes(0xC0, 0xAF)), "an overlong '/'");
    assertFalse(Utf8.isValid(bytes(0xED, 0xA0, 0x80)), "an encoded surrogate half");
    assertFalse(Utf8.isValid(bytes('a', 'b', 0xE2, 0x82)), "a sequence cut at the end");
    assertFalse(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80)), "past U+10FFFF");
  }
}
