package io.webtraffic.sink;

import java.sql.Timestamp;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Renders rows as PostgreSQL COPY CSV: every non-null value quoted, quotes doubled, null as an
 * unquoted empty field. Strings travel as data, never as SQL, whatever they contain.
 */
public final class CsvRows {
  private CsvRows() {}

  public static String line(Object... values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = values[i];
      if (v == null) {
        continue;
      }
      String s = v instanceof Timestamp t ? t.toInstant().toString() : v.toString();
      sb.append('"').append(s.replace("\"", "\"\"")).append('"');
    }
    return sb.append('\n').toString();
  }

  /**
   * A Reader over lines produced lazily, so large batches stream through COPY without buffering.
   */
  public static <T> java.io.Reader reader(Iterator<T> rows, Function<T, String> toLine) {
    return new java.io.Reader() {
      private String current = "";
      private int pos = 0;

      @Override
      public int read(char[] buf, int off, int len) {
        while (pos >= current.length()) {
          if (!rows.hasNext()) {
            return -1;
          }
          current = toLine.apply(rows.next());
          pos = 0;
        }
        int n = Math.min(len, current.length() - pos);
        current.getChars(pos, pos + n, buf, off);
        pos += n;
        return n;
      }

      @Override
      public void close() {}
    };
  }
}
