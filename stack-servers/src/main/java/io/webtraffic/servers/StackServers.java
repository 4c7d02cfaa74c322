package io.webtraffic.servers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The object store and the Iceberg REST catalog of the embedded stack, in a JVM of their own (see
 * pom.xml for why). Started by the stack with options only; the S3 keys come from the environment
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}), never from the command line, which
 * other users of the machine can read. Prints one {@value #READY} line once every server accepts
 * requests, and stops when terminated or when the process that started it dies.
 *
 * <pre>
 * --parent-pid PID   stop when this process is gone
 * --s3-port PORT --bucket NAME        the object store (in memory) and its bucket
 * --rest-port PORT --jdbc-url URL --jdbc-user USER --warehouse LOCATION   the REST catalog
 * </pre>
 *
 * A port 0 picks a free one; the {@value #ENDPOINT} lines printed before {@value #READY} name them.
 * The REST catalog's warehouse is on the object store when both run (an {@code s3a://} location).
 */
public final class StackServers {
  static final String READY = "stack servers ready";
  /** Prefix of the lines that name where each server listens: {@code endpoint s3 URL}. */
  static final String ENDPOINT = "endpoint ";

  private StackServers() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    List<AutoCloseable> running = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(running), "servers-shutdown"));
    try {
      String s3Endpoint = "";
      if (options.value("--s3-port").isPresent()) {
        ObjectStore store =
            ObjectStore.start(
                Integer.parseInt(options.required("--s3-port")),
                options.required("--bucket"),
                S3Keys.fromEnvironment(System.getenv()));
        running.add(store);
        s3Endpoint = store.endpoint();
        System.out.println(ENDPOINT + "s3 " + s3Endpoint);
      }
      if (options.value("--rest-port").isPresent()) {
        RestCatalog catalog =
            RestCatalog.start(
                Integer.parseInt(options.required("--rest-port")),
                options.required("--jdbc-url"),
                options.required("--jdbc-user"),
                options.required("--warehouse"),
                s3Endpoint);
        running.add(catalog);
        System.out.println(ENDPOINT + "rest " + catalog.uri());
      }
    } catch (IllegalArgumentException e) {
      System.out.println("Cannot start the stack servers: " + e.getMessage());
      closeAll(running);
      System.exit(2);
    } catch (Exception e) {
      System.out.println("Cannot start the stack servers: " + e);
      e.printStackTrace(System.out);
      closeAll(running);
      System.exit(1);
    }
    System.out.println(READY);
    System.out.flush();
    CountDownLatch parentGone = new CountDownLatch(1);
    options
        .value("--parent-pid")
        .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
        .ifPresent(parent -> parent.onExit().thenRun(parentGone::countDown));
    parentGone.await();
    System.out.println("The process that started the servers is gone: stopping");
    System.exit(0); // runs the shutdown hook
  }

  private static void closeAll(List<AutoCloseable> servers) {
    for (AutoCloseable server : List.copyOf(servers)) {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("Cannot stop " + server + ": " + e.getMessage());
      }
    }
    servers.clear();
  }

  /** {@code --name value} pairs. */
  record Options(Map<String, String> values) {
    static Options parse(String[] args) {
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException("Expected --name value pairs, got " + List.of(args));
      }
      Map<String, String> values = new java.util.HashMap<>();
      for (int i = 0; i < args.length; i += 2) {
        values.put(args[i], args[i + 1]);
      }
      return new Options(values);
    }

    java.util.Optional<String> value(String name) {
      return java.util.Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    String required(String name) {
      return value(name).orElseThrow(() -> new IllegalArgumentException("Missing " + name));
    }
  }
}
