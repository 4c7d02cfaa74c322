package io.webtraffic.window;

import java.io.Serializable;

/**
 * The unfinished count window of one key: a Java bean for Spark's state store. Its id is derived
 * from its first event, so the key needs no state once the window is flushed.
 */
public class CountState implements Serializable {
  private String windowId;
  private String key;
  private long events;
  private long startMs;
  private long endMs;

  public CountState() {}

  public String getWindowId() {
    return windowId;
  }

  public void setWindowId(String windowId) {
    this.windowId = windowId;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public long getEvents() {
    return events;
  }

  public void setEvents(long events) {
    this.events = events;
  }

  /** The earliest event time in the window. */
  public long getStartMs() {
    return startMs;
  }

  public void setStartMs(long startMs) {
    this.startMs = startMs;
  }

  /** The latest event time in the window. */
  public long getEndMs() {
    return endMs;
  }

  public void setEndMs(long endMs) {
    this.endMs = endMs;
  }
}
