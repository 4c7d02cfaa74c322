package io.webtraffic.ops;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the first SIGINT or SIGTERM into a stop request, so a long run can flush, print its summary
 * and end normally (exit 0) instead of dying with records in flight. A second signal goes to the
 * JVM's own handler and ends the process at once. {@code sun.misc.Signal} (module jdk.unsupported,
 * kept for exactly this) is reached reflectively so javac does not flag it; where it is missing or
 * refused, signals keep their default effect and a run ends without summary.
 */
public final class StopSignals implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> SIGNALS = List.of("INT", "TERM");

  private final AtomicBoolean requested = new AtomicBoolean();
  private final Runnable onFirstSignal;
  private final Map<Object, Object> previousHandlers = new LinkedHashMap<>();
  private Method handle;

  private StopSignals(Runnable onFirstSignal) {
    this.onFirstSignal = onFirstSignal;
  }

  /**
   * Installs the handlers until {@link #close}.
   *
   * @param onFirstSignal runs on the signal thread when the first signal arrives, e.g. to tell the
   *     user
   */
  public static StopSignals install(Runnable onFirstSignal) {
    StopSignals signals = new StopSignals(onFirstSignal);
    signals.installHandlers();
    return signals;
  }

  public boolean requested() {
    return requested.get();
  }

  /** Requests a stop as a signal would. */
  public void request() {
    if (requested.compareAndSet(false, true)) {
      onFirstSignal.run();
    }
  }

  /** Puts the previous handlers back. */
  @Override
  public void close() {
    previousHandlers.forEach(
        (signal, previous) -> {
          try {
            handle.invoke(null, signal, previous);
          } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Cannot restore the handler of {}", signal, e);
          }
        });
    previousHandlers.clear();
  }

  private void installHandlers() {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      this.handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Method delegate = handlerClass.getMethod("handle", signalClass);
      for (String name : SIGNALS) {
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        Object[] previous = new Object[1];
        Object handler =
            Proxy.newProxyInstance(
                StopSignals.class.getClassLoader(),
                new Class<?>[] {handlerClass},
                (proxy, method, args) -> {
                  if (method.equals(delegate)) {
                    onSignal(name, previous[0], delegate, args[0]);
                    return null;
                  }
                  return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "StopSignals handler for SIG" + name;
                  };
                });
        previous[0] = handle.invoke(null, signal, handler);
        previousHandlers.put(signal, previous[0]);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Cannot handle SIGINT/SIGTERM; a signal will end the run without a summary", e);
    }
  }

  private void onSignal(String name, Object previous, Method delegate, Object signal) {
    if (requested.compareAndSet(false, true)) {
      LOG.debug("SIG{} received: stopping after a flush", name);
      onFirstSignal.run();
      return;
    }
    try {
      delegate.invoke(previous, signal);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Cannot pass SIG{} on to the JVM; stop the process with SIGKILL", name, e);
    }
  }
}
