package io.webtraffic.window;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;

/**
 * The state of one window group: the open sessions of an (ip, host), or the unfinished count window
 * of a key. One bean for both because a query's stateful operator has one state type.
 */
public class WindowState implements Serializable {
  private List<SessionState> sessions = new ArrayList<>();
  private CountState count;

  public WindowState() {}

  /**
   * The state's encoder, resolved once. Spark resolves the state encoder again for every batch's
   * plan and generates the state reader from the result; resolving a bean with lists numbers their
   * loop variables anew, so every batch generated, compiled and JIT-compiled its own copy of the
   * same reader. An encoder already resolved keeps its numbers, and Spark's code cache finds the
   * class. Same bean, same schema: existing state reads as before.
   */
  static Encoder<WindowState> encoder() {
    ExpressionEncoder<WindowState> bean =
        (ExpressionEncoder<WindowState>) Encoders.bean(WindowState.class);
    return bean.resolveAndBind(bean.resolveAndBind$default$1(), bean.resolveAndBind$default$2());
  }

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
