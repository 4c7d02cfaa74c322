package io.webtraffic.local;

import java.util.List;

/**
 * A background stack that failed to come up; carries the end of its log, where the reason usually
 * is.
 */
public final class StackLaunchException extends RuntimeException {
  private final transient List<String> logTail;

  StackLaunchException(String message, List<String> logTail) {
    super(message);
    this.logTail = List.copyOf(logTail);
  }

  public List<String> logTail() {
    return logTail;
  }
}
