package io.webtraffic.quality;

import io.webtraffic.config.PipelineConfig.QualityAction;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.OptionalDouble;

/**
 * One check on one batch: its value ({@code empty} when there was nothing to measure, which
 * passes), the limit as an operator reads it, the configured action, and whether it passed.
 */
public record CheckResult(
    String check,
    OptionalDouble value,
    String threshold,
    QualityAction action,
    boolean passed,
    String detail) {

  /** The configuration key an operator changes to let such a batch through. */
  public String settingPrefix() {
    return "pipeline.quality." + check;
  }

  /** The check's value rounded for people: 4 significant digits. */
  public String shownValue() {
    return value.isEmpty() ? "none" : round(value.getAsDouble());
  }

  static String round(double v) {
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /** Failed with the action stop: the batch must not be committed. */
  public boolean stops() {
    return !passed && action == QualityAction.STOP;
  }
}
