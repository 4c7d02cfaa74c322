package io.webtraffic.query;

import java.util.List;

/**
 * Rows as a text table in the layout of Spark's {@code show(n, false)}: a header between rules,
 * every value left-aligned and never cut, NULL for a missing value.
 */
public record TextTable(List<String> columns, List<List<String>> rows) {
  static final String NULL = "NULL";

  public String render() {
    int[] widths = new int[columns.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = Math.max(1, columns.get(c).length());
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], text(row.get(c)).length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int width : widths) {
      rule.append("-".repeat(width)).append('+');
    }
    StringBuilder out = new StringBuilder();
    out.append(rule).append('\n');
    line(out, columns, widths);
    out.append(rule).append('\n');
    for (List<String> row : rows) {
      line(out, row, widths);
    }
    out.append(rule).append('\n');
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> values, int[] widths) {
    out.append('|');
    for (int c = 0; c < widths.length; c++) {
      String value = text(values.get(c));
      out.append(value).append(" ".repeat(widths[c] - value.length())).append('|');
    }
    out.append('\n');
  }

  private static String text(String value) {
    return value == null ? NULL : value;
  }
}
