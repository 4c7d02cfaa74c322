package io.webtraffic.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The unpaired-surrogate rule on JSON text, as the job applies it to each record's payload. */
class TextIntegrityTest {
  static boolean unpaired(String json) {
    return Pattern.compile(TextIntegrity.UNPAIRED_ESCAPE).matcher(json).find();
  }

  @Test
  void aSurrogatePairIsOneCharacterAndPasses() {
    assertEquals(false, unpaired("{\"url\":\"/\\ud83d\\ude00\"}"));
    assertEquals(false, unpaired("{\"url\":\"/\\uD83D\\uDE00 and \\u00e9\"}"));
  }

  @Test
  void aLoneHighOrLowHalfIsCaught() {
    assertEquals(true, unpaired("{\"url\":\"/\\ud800x\"}"));
    assertEquals(true, unpaired("{\"url\":\"/\\udc00\"}"));
    assertEquals(true, unpaired("{\"url\":\"/\\ude00\\ud83d\"}"), "low before high");
    assertEquals(true, unpaired("\\udbff"), "at the very start");
  }

  @Test
  void anEscapedBackslashBeforeUIsTextNotAnEscape() {
    assertEquals(false, unpaired("{\"url\":\"/\\\\ud800\"}"));
    assertEquals(
        true, unpaired("{\"url\":\"/\\\\\\ud800\"}"), "three backslashes: an escape again");
  }
}
