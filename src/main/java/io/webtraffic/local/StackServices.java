package io.webtraffic.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The stack's optional services, an S3-compatible object store (S3Proxy, in memory) and an Iceberg
 * REST catalog (Iceberg's REST server over a JDBC catalog in the stack's PostgreSQL), run by the
 * JVM of {@code stack-servers/}: a separate project with a classpath of its own, since S3Proxy's
 * Jetty and jclouds and the REST server's unshaded Iceberg would clash with Spark's. That JVM stops
 * with this one (it watches its parent), and signs nothing with keys from its command line: they
 * reach it as {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} in its environment.
 */
public final class StackServices implements AutoCloseable {
  /** The bucket the stack creates at start. */
  public static final String BUCKET = "webtraffic";

  static final String SERVERS_MAIN = "io.webtraffic.servers.StackServers";
  static final String READY = "stack servers ready";
  static final String ENDPOINT = "endpoint ";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final int LOG_TAIL_LINES = 30;

  private final Process process;
  private final Endpoints endpoints;

  private StackServices(Process process, Endpoints endpoints) {
    this.process = process;
    this.endpoints = endpoints;
  }

  /** What to run, on which ports of 127.0.0.1 (0 = a free one); empty = not at all. */
  public record Request(Optional<Integer> s3Port, Optional<Integer> restPort) {
    public static final Request NONE = new Request(Optional.empty(), Optional.empty());

    public boolean any() {
      return s3Port.isPresent() || restPort.isPresent();
    }
  }

  /** The S3 key pair the object store accepts; never printed. */
  public record S3Keys(String accessKeyId, String secretAccessKey) {
    public static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

    /** The keys of this environment; empty when either is missing. */
    public static Optional<S3Keys> fromEnvironment(Map<String, String> env) {
      String id = env.getOrDefault(ACCESS_KEY_ENV, "");
      String secret = env.getOrDefault(SECRET_KEY_ENV, "");
      return id.isEmpty() || secret.isEmpty()
          ? Optional.empty()
          : Optional.of(new S3Keys(id, secret));
    }

    Map<String, String> asEnv() {
      return Map.of(ACCESS_KEY_ENV, accessKeyId, SECRET_KEY_ENV, secretAccessKey);
    }

    @Override
    public String toString() {
      return "S3Keys[***]";
    }
  }

  /**
   * Where the services listen. {@code s3Endpoint} and {@code restUri} are empty when not running.
   */
  public record Endpoints(String s3Endpoint, String bucket, String restUri) {
    public static final Endpoints NONE = new Endpoints("", "", "");

    public Endpoints {
      Objects.requireNonNull(s3Endpoint, "s3Endpoint");
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(restUri, "restUri");
    }

    public boolean hasObjectStore() {
      return !s3Endpoint.isEmpty();
    }

    public boolean hasRestCatalog() {
      return !restUri.isEmpty();
    }

    /** A location in the stack's bucket, as the job names it. */
    public String s3a(String path) {
      return "s3a://" + bucket + "/" + path;
    }
  }

  /**
   * Starts the requested services and returns once they all accept requests.
   *
   * @param dataDir the stack's folder, for the log {@code services.log} (the object store keeps its
   *     objects in memory)
   * @param localWarehouse the REST catalog's warehouse when there is no object store
   * @param keys required when the object store runs
   */
  public static StackServices start(
      Request request,
      Path dataDir,
      String jdbcUrl,
      String jdbcUser,
      Path localWarehouse,
      Optional<S3Keys> keys) {
    if (request.s3Port().isPresent() && keys.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot start the object store: set "
              + S3Keys.ACCESS_KEY_ENV
              + " and "
              + S3Keys.SECRET_KEY_ENV
              + " in the environment (the keys it accepts; the job signs with the same)");
    }
    Path log = dataDir.toAbsolutePath().resolve("services.log");
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid())));
    request
        .s3Port()
        .ifPresent(
            port ->
                args.addAll(
                    List.of(
                        "--s3-port",
                        Integer.toString(FreePorts.orFree(port)),
                        "--bucket",
                        BUCKET)));
    request
        .restPort()
        .ifPresent(
            port ->
                args.addAll(
                    List.of(
                        "--rest-port",
                        Integer.toString(FreePorts.orFree(port)),
                        "--jdbc-url",
                        jdbcUrl,
                        "--jdbc-user",
                        jdbcUser,
                        "--warehouse",
                        request.s3Port().isPresent()
                            ? "s3a://" + BUCKET + "/warehouse"
                            : localWarehouse.toAbsolutePath().toUri().toString())));
    Process process = spawn(args, log, keys);
    try {
      return new StackServices(process, awaitReady(process, log));
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  private static Process spawn(List<String> args, Path log, Optional<S3Keys> keys) {
    Path home = projectHome();
    Path jar = home.resolve("stack-servers/target/stack-servers.jar");
    Path classpath = home.resolve("stack-servers/target/classpath.txt");
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(classpath)) {
      throw new IllegalStateException(
          "Cannot start the stack's object store and REST catalog: "
              + jar
              + " is not built (run ./mvnw package, or scripts/pipeline, which builds it)");
    }
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      command.add("-cp");
      command.add(jar + File.pathSeparator + Files.readString(classpath).strip());
      command.add(SERVERS_MAIN);
      command.addAll(args);
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(log.toFile())
              .redirectErrorStream(true);
      keys.ifPresent(k -> builder.environment().putAll(k.asEnv()));
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the stack servers: " + e.getMessage(), e);
    }
  }

  private static Endpoints awaitReady(Process process, Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      while (true) {
        List<String> lines = lines(log);
        if (lines.contains(READY)) {
          return endpoints(lines);
        }
        if (!process.isAlive() || System.nanoTime() - deadline >= 0) {
          String why =
              process.isAlive()
                  ? "not ready after " + START_TIMEOUT.toSeconds() + " s"
                  : "its process exited with code " + process.exitValue();
          throw new StackLaunchException(
              "Cannot start the stack's object store and REST catalog: "
                  + why
                  + " (see "
                  + log
                  + ")",
              lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        }
        process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if it dies
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the stack servers", e);
    }
  }

  private static Endpoints endpoints(List<String> lines) {
    String s3 = "";
    String rest = "";
    for (String line : lines) {
      if (line.startsWith(ENDPOINT + "s3 ")) {
        s3 = line.substring((ENDPOINT + "s3 ").length()).strip();
      } else if (line.startsWith(ENDPOINT + "rest ")) {
        rest = line.substring((ENDPOINT + "rest ").length()).strip();
      }
    }
    return new Endpoints(s3, s3.isEmpty() ? "" : BUCKET, rest);
  }

  private static List<String> lines(Path log) {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      return List.of(); // being written; read again at the next poll
    }
  }

  /** The project folder, where stack-servers/ is: PIPELINE_HOME, else the working directory. */
  static Path projectHome() {
    String home = System.getenv("PIPELINE_HOME");
    return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath().normalize();
  }

  /** SIGTERM, so both servers close their files; waits for the process to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
