package io.webtraffic.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded stack per test JVM, shared by every test class that uses
 * {@code @ExtendWith(SharedStack.class)}: started on first use on free ports, stopped (and its data
 * deleted) when the test run ends.
 *
 * <p>Tests that share it isolate themselves by name (a fresh topic, a fresh table), never by
 * restarting it. Test methods may also take {@link StackEndpoints} or {@link EmbeddedKafka}
 * parameters.
 */
public final class SharedStack implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedStack.class);

  private static volatile Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    // The root store lives as long as the test run and closes AutoCloseable values at its end.
    running =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Running.class, key -> Running.start(), Running.class);
  }

  /** The shared stack's endpoints; only inside a test class extended with {@code SharedStack}. */
  public static StackEndpoints endpoints() {
    return current().stack.endpoints();
  }

  /** The shared broker, for creating topics. */
  public static EmbeddedKafka kafka() {
    return current().stack.kafka();
  }

  /** The shared PostgreSQL server. */
  public static EmbeddedPostgresServer postgres() {
    return current().stack.postgres();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == StackEndpoints.class || type == EmbeddedKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StackEndpoints.class ? endpoints() : kafka();
  }

  private static Running current() {
    Running current = running;
    if (current == null) {
      throw new IllegalStateException(
          "No shared stack: annotate the test class with @ExtendWith(SharedStack.class)");
    }
    return current;
  }

  /** The stack and its folder under target/, removed together. */
  private static final class Running implements AutoCloseable {
    private final EmbeddedStack stack;
    private final Path dataDir;

    private Running(EmbeddedStack stack, Path dataDir) {
      this.stack = stack;
      this.dataDir = dataDir;
    }

    static Running start() {
      Path dataDir =
          Path.of("target", "it-stack-" + UUID.randomUUID().toString().substring(0, 8))
              .toAbsolutePath();
      return new Running(EmbeddedStack.start(dataDir, 0, 0), dataDir);
    }

    @Override
    public void close() {
      running = null;
      try {
        stack.close();
      } finally {
        deleteRecursively(dataDir);
      }
    }

    private static void deleteRecursively(Path dir) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + dir, e);
      }
    }
  }
}
