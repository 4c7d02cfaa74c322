package io.webtraffic.cli;

import io.webtraffic.config.InvalidConfigException;
import io.webtraffic.local.EmbeddedStack;
import io.webtraffic.local.FreePorts;
import io.webtraffic.local.StackEndpoints;
import io.webtraffic.local.StackFiles;
import io.webtraffic.local.StackLaunchException;
import io.webtraffic.local.StackLauncher;
import io.webtraffic.local.StackServices;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline stack start|stop|status}: the embedded Kafka + PostgreSQL stack as a background
 * process, so that the pipeline, the generator and notebooks can come and go while the data stays.
 */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
    description =
        "Start, stop or inspect the embedded Kafka + PostgreSQL stack (with --with s3,rest: an"
            + " object store and an Iceberg REST catalog too).",
    subcommands = {
      StackCommand.Start.class,
      StackCommand.Stop.class,
      StackCommand.Status.class,
      StackCommand.Serve.class
    })
public final class StackCommand implements Runnable {
  static final int NOT_RUNNING = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: start, stop or status");
  }

  /** Where the stack keeps its data and runtime files. */
  static final class Location {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "Stack data folder (default: $PIPELINE_HOME/.stack, or ./.stack without PIPELINE_HOME).")
    Path dataDir;

    StackFiles files() {
      if (dataDir != null) {
        return new StackFiles(dataDir);
      }
      String home = System.getenv("PIPELINE_HOME");
      Path project = home == null || home.isBlank() ? Path.of("") : Path.of(home);
      return new StackFiles(project.resolve(".stack"));
    }
  }

  /** The fixed ports, so that other processes find the stack without reading its env file. */
  static final class Ports {
    @Option(
        names = "--kafka-port",
        paramLabel = "PORT",
        defaultValue = "19092",
        description = "Kafka port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int kafka;

    @Option(
        names = "--postgres-port",
        paramLabel = "PORT",
        defaultValue = "15432",
        description =
            "PostgreSQL port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int postgres;

    @Option(
        names = "--with",
        split = ",",
        paramLabel = "SERVICE",
        description =
            "Also start: s3 (an S3-compatible object store with the bucket "
                + StackServices.BUCKET
                + "; keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), rest (an Iceberg"
                + " REST catalog; its warehouse is on the object store when s3 runs too).")
    List<String> with = new ArrayList<>();

    @Option(
        names = "--s3-port",
        paramLabel = "PORT",
        defaultValue = "19000",
        description = "Object store port with --with s3 (default: ${DEFAULT-VALUE}; 0 = free).")
    int s3;

    @Option(
        names = "--rest-port",
        paramLabel = "PORT",
        defaultValue = "18181",
        description = "REST catalog port with --with rest (default: ${DEFAULT-VALUE}; 0 = free).")
    int rest;

    void validate() {
      requirePort("--kafka-port", kafka);
      requirePort("--postgres-port", postgres);
      requirePort("--s3-port", s3);
      requirePort("--rest-port", rest);
      for (String service : with) {
        if (!List.of("s3", "rest").contains(service)) {
          throw InvalidConfigException.invalid(
              "--with", service, "a comma-separated list of s3, rest");
        }
      }
    }

    StackServices.Request services() {
      return new StackServices.Request(
          with.contains("s3") ? Optional.of(s3) : Optional.empty(),
          with.contains("rest") ? Optional.of(rest) : Optional.empty());
    }

    List<String> asArgs() {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--kafka-port",
                  Integer.toString(kafka),
                  "--postgres-port",
                  Integer.toString(postgres),
                  "--s3-port",
                  Integer.toString(s3),
                  "--rest-port",
                  Integer.toString(rest)));
      if (!with.isEmpty()) {
        args.add("--with");
        args.add(String.join(",", with));
      }
      return args;
    }

    private static void requirePort(String option, int port) {
      if (port < 0 || port > 65535) {
        throw InvalidConfigException.invalid(
            option, port, "a port from 0 to 65535, 0 picks a free one");
      }
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
      description = "Start the stack in the background and print its endpoints.")
  static final class Start implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin Location location;
    @Mixin Ports ports;

    @Override
    public Integer call() {
      ports.validate();
      StackFiles files = location.files();
      PrintWriter out = spec.commandLine().getOut();
      Optional<ProcessHandle> server = files.server();
      if (server.isPresent()) {
        out.printf("Stack is already running (pid %d)%n", server.get().pid());
        files.runningEndpoints().ifPresent(endpoints -> printEndpoints(out, endpoints, files));
        return 0;
      }
      files.deleteRuntimeFiles(); // left by a stack that was killed
      // Fail here, not after a JVM start, when a fixed port is taken.
      requireFreeIfFixed(ports.kafka, "Kafka", "--kafka-port");
      requireFreeIfFixed(ports.postgres, "PostgreSQL", "--postgres-port");
      StackServices.Request services = ports.services();
      if (services.s3Port().isPresent()) {
        requireFreeIfFixed(ports.s3, "the object store", "--s3-port");
        if (StackServices.S3Keys.fromEnvironment(System.getenv()).isEmpty()) {
          throw new InvalidConfigException(
              "Cannot start the object store: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in"
                  + " the environment (the keys it accepts; the job signs with the same)");
        }
      }
      if (services.restPort().isPresent()) {
        requireFreeIfFixed(ports.rest, "the REST catalog", "--rest-port");
      }
      out.printf("Starting the stack in %s (log: %s)%n", files.dir(), files.logFile());
      out.flush();

      List<String> args =
          new ArrayList<>(
              List.of("stack", StackFiles.SERVE_MARKER, "--data-dir", files.dir().toString()));
      args.addAll(ports.asArgs());
      StackEndpoints endpoints;
      try {
        endpoints = StackLauncher.launch(files, PipelineCli.class.getName(), args, START_TIMEOUT);
      } catch (StackLaunchException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.printf("Last lines of %s:%n", files.logFile());
        e.logTail().forEach(line -> err.println("  " + line));
        err.flush();
        throw e;
      }
      out.printf("Stack started (pid %d)%n", files.readPid().orElse(-1L));
      printEndpoints(out, endpoints, files);
      return 0;
    }

    private static void requireFreeIfFixed(int port, String server, String option) {
      if (port == 0) {
        return;
      }
      try {
        FreePorts.requireFree(port, server);
      } catch (IllegalStateException e) {
        throw new IllegalStateException(
            e.getMessage()
                + " (a stack of another folder? choose another port with "
                + option
                + ")");
      }
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
      description = "Stop the background stack; its data is kept.")
  static final class Stop implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin Location location;

    @Override
    public Integer call() throws InterruptedException {
      StackFiles files = location.files();
      PrintWriter out = spec.commandLine().getOut();
      Optional<ProcessHandle> server = files.server();
      if (server.isEmpty()) {
        files.deleteRuntimeFiles();
        out.println("Stack is not running");
        return 0;
      }
      ProcessHandle process = server.get();
      out.printf("Stopping the stack (pid %d)%n", process.pid());
      out.flush();
      process.destroy(); // SIGTERM: the server's shutdown hook stops Kafka and PostgreSQL cleanly
      try {
        process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new IllegalStateException(
            String.format(
                "Cannot stop the stack: pid %d still running after %d s (see %s)",
                process.pid(), STOP_TIMEOUT.toSeconds(), files.logFile()));
      }
      files.deleteRuntimeFiles();
      out.println("Stack stopped");
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE, ExitCodes.NOT_RUNNING},
      description = "Print the endpoints of the running stack.")
  static final class Status implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin Location location;

    @Override
    public Integer call() {
      StackFiles files = location.files();
      PrintWriter out = spec.commandLine().getOut();
      Optional<StackEndpoints> endpoints = files.runningEndpoints();
      if (endpoints.isEmpty() && files.server().isPresent()) {
        out.printf(
            "Stack is starting (pid %d, log: %s)%n", files.server().get().pid(), files.logFile());
        return NOT_RUNNING;
      }
      if (endpoints.isEmpty()) {
        out.println("Stack is not running (start it with: scripts/pipeline stack start)");
        return NOT_RUNNING;
      }
      printEndpoints(out, endpoints.get(), files);
      return 0;
    }
  }

  /**
   * The background process behind {@code start}: runs the stack in the foreground until SIGTERM.
   */
  @Command(
      name = "serve",
      hidden = true,
      exitCodeListHeading = ExitCodes.HEADING,
      exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.MISUSE},
      description = "Run the stack in the foreground until terminated.")
  static final class Serve implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin Location location;
    @Mixin Ports ports;

    @Override
    public Integer call() throws InterruptedException {
      ports.validate();
      StackFiles files = location.files();
      long pid = ProcessHandle.current().pid();
      Optional<ProcessHandle> other = files.server().filter(process -> process.pid() != pid);
      if (other.isPresent()) {
        throw new IllegalStateException(
            String.format(
                "Cannot serve the stack in %s: it is already served by pid %d",
                files.dir(), other.get().pid()));
      }
      files.writePid(pid);
      EmbeddedStack stack;
      try {
        stack =
            EmbeddedStack.start(
                files.dir(),
                ports.kafka,
                ports.postgres,
                ports.services(),
                StackServices.S3Keys.fromEnvironment(System.getenv()));
      } catch (RuntimeException e) {
        files.deleteRuntimeFiles();
        throw e;
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> shutdown(stack, files, pid), "stack-shutdown"));
      // Written last: its presence tells `stack start` that both servers accept connections.
      stack.endpoints().writeEnvFile(files.envFile());
      PrintWriter out = spec.commandLine().getOut();
      out.printf("Stack ready (pid %d)%n", pid);
      printEndpoints(out, stack.endpoints(), files);
      out.flush();
      new CountDownLatch(1).await(); // until SIGTERM runs the shutdown hook
      return 0;
    }

    private static void shutdown(EmbeddedStack stack, StackFiles files, long pid) {
      try {
        stack.close();
      } finally {
        if (files.readPid().filter(owner -> owner == pid).isPresent()) {
          files.deleteRuntimeFiles();
        }
      }
    }
  }

  static void printEndpoints(PrintWriter out, StackEndpoints endpoints, StackFiles files) {
    out.println("Kafka bootstrap servers: " + endpoints.bootstrapServers());
    out.println("JDBC URL: " + endpoints.jdbcUrl());
    out.println("JDBC user: " + endpoints.jdbcUser());
    StackServices.Endpoints services = endpoints.services();
    if (services.hasObjectStore()) {
      out.println(
          "Object store: "
              + services.s3Endpoint()
              + " (bucket "
              + services.bucket()
              + ", path-style; keys: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)");
      out.println("Checkpoint: " + services.s3a("checkpoints/webtraffic"));
      out.println("Iceberg warehouse: " + services.s3a("warehouse"));
    } else {
      out.println("Iceberg warehouse: " + endpoints.warehouse());
    }
    if (services.hasRestCatalog()) {
      out.println("Iceberg REST catalog: " + services.restUri());
    }
    out.println("Env file: " + files.envFile());
    out.flush();
  }
}
