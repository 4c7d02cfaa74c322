package io.webtraffic.local;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns "connection refused" from a server on this machine into what to do about it: the embedded
 * stack is most likely stopped (the demo stops it at its end), and one command starts it again with
 * the data it had.
 */
public final class StackHint {
  /** How the PostgreSQL driver names the address it could not reach. */
  private static final Pattern POSTGRES_REFUSED =
      Pattern.compile("Connection to (\\S+?:\\d+) refused");

  private static final Pattern LOOPBACK =
      Pattern.compile("^(127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[?::1]?)(:\\d+)?$");

  static final String START = "scripts/pipeline stack start";

  private StackHint() {}

  /**
   * The explanation when {@code e} is a refused connection to PostgreSQL on this machine, else
   * empty.
   */
  public static Optional<String> explain(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) {
        Matcher m = POSTGRES_REFUSED.matcher(t.getMessage());
        if (m.find() && refusedHere(t) && LOOPBACK.matcher(m.group(1)).matches()) {
          return Optional.of(
              "PostgreSQL at "
                  + m.group(1)
                  + " refused the connection: is the stack running? Start it with `"
                  + START
                  + "` (it keeps its data in .stack/), then run this command again");
        }
      }
    }
    return Optional.empty();
  }

  private static boolean refusedHere(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }
}
