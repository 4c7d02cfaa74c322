package io.webtraffic.window;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one window group: the open sessions of an (ip, host), or the unfinished count window
 * of a key. One bean for both because a query's stateful operator has one state type.
 */
public class WindowState implements Serializable {
  private List<SessionState> sessions = new ArrayList<>();
  private CountState count;

  public WindowState() {}

  public List<SessionState> getSessions() {
    return sessions;
  }

  public void setSessions(List<SessionState> sessions) {
    this.sessions = sessions;
  }

  public CountState getCount() {
    return count;
  }

  public void setCount(CountState count) {
    this.count = count;
  }
}
