package io.webtraffic.query;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/**
 * The read-query-print loop of {@code sql} without a query: statements end with {@code ;} and may
 * span lines; {@code \q}, {@code quit}, {@code exit} or end of input leave. A failing statement
 * prints one line and the shell goes on.
 */
public final class SqlShell {
  private final SqlSession session;
  private final ShellInput input;
  private final PrintWriter out;
  private final PrintWriter err;
  private final int limit;

  public SqlShell(
      SqlSession session, ShellInput input, PrintWriter out, PrintWriter err, int limit) {
    this.session = session;
    this.input = input;
    this.out = out;
    this.err = err;
    this.limit = limit;
  }

  public void run() {
    StringBuilder statement = new StringBuilder();
    while (true) {
      Optional<String> read;
      try {
        read = input.readLine(statement.length() == 0 ? "sql> " : "  -> ");
      } catch (ShellInput.Interrupted e) {
        // Ctrl-C drops what was typed so far, as in psql.
        statement.setLength(0);
        continue;
      }
      if (read.isEmpty()) {
        return;
      }
      String line = read.get().strip();
      if (statement.length() == 0 && isQuit(line)) {
        return;
      }
      if (line.isEmpty()) {
        continue;
      }
      statement.append(statement.length() == 0 ? "" : "\n").append(line);
      if (line.endsWith(";")) {
        String sql = statement.substring(0, statement.length() - 1).strip();
        statement.setLength(0);
        if (!sql.isEmpty()) {
          execute(sql);
        }
      }
    }
  }

  private void execute(String sql) {
    long start = System.nanoTime();
    try {
      SqlSession.Result result = session.query(sql, limit);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (result.table().columns().isEmpty()) {
        // A statement without a result (CREATE, INSERT, USE...).
        out.printf(Locale.ROOT, "OK in %.2f s%n", seconds);
        return;
      }
      out.print(result.table().render());
      int rows = result.table().rows().size();
      out.printf(
          Locale.ROOT,
          "%s%d row%s in %.2f s%n",
          result.more() ? "first " : "",
          rows,
          rows == 1 ? "" : "s",
          seconds);
    } catch (Exception e) {
      // Spark's AnalysisException (and its ParseException) is checked in Java terms, yet thrown.
      err.println("Error: " + firstLine(e));
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static boolean isQuit(String line) {
    String word = line.endsWith(";") ? line.substring(0, line.length() - 1).strip() : line;
    return word.equals("\\q") || word.equalsIgnoreCase("quit") || word.equalsIgnoreCase("exit");
  }

  /** Spark's messages start with the error class and what went wrong; the rest is the plan. */
  static String firstLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        Optional<String> line = t.getMessage().lines().filter(l -> !l.isBlank()).findFirst();
        if (line.isPresent()) {
          return line.get().strip();
        }
      }
    }
    return e.getClass().getSimpleName();
  }
}
