package io.webtraffic.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRowsTest {
  @Test
  void quotesEveryValueAndDoublesQuotes() {
    assertEquals(
        "\"a\",\"b \"\"quoted\"\", with comma\",\"line\nbreak\",,\"42\"\n",
        CsvRows.line("a", "b \"quoted\", with comma", "line\nbreak", null, 42L));
  }

  @Test
  void emptyStringAndNullStayDistinct() {
    assertEquals("\"\",\n", CsvRows.line("", null));
  }

  @Test
  void timestampsAreUtcInstants() {
    assertEquals(
        "\"2026-11-20T10:15:00Z\"\n",
        CsvRows.line(Timestamp.from(Instant.parse("2026-11-20T10:15:00Z"))));
  }

  @Test
  void readerStreamsAllLinesInOrder() throws IOException {
    Reader r = CsvRows.reader(List.of("x", "yy", "").iterator(), s -> CsvRows.line(s));
    StringBuilder out = new StringBuilder();
    char[] buf = new char[3];
    for (int n; (n = r.read(buf, 0, buf.length)) != -1; ) {
      out.append(buf, 0, n);
    }
    assertEquals("\"x\"\n\"yy\"\n\"\"\n", out.toString());
  }
}
