package io.webtraffic.servers;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An Iceberg REST catalog on 127.0.0.1: Iceberg's own server side of the REST protocol (the adapter
 * and servlet behind its REST fixture) over a JDBC catalog in the stack's PostgreSQL. The server
 * writes table metadata itself, through HadoopFileIO: on the object store when the warehouse is an
 * {@code s3a://} location (signing with the keys of the environment), else on the local disk.
 */
final class RestCatalog implements AutoCloseable {
  static final String BACKEND_NAME = "rest_backend";

  private final Server server;
  private final Catalog backend;

  private RestCatalog(Server server, Catalog backend) {
    this.server = server;
    this.backend = backend;
  }

  static RestCatalog start(
      int port, String jdbcUrl, String jdbcUser, String warehouse, String s3Endpoint)
      throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.CATALOG_IMPL, JdbcCatalog.class.getName());
    properties.put(CatalogProperties.URI, jdbcUrl);
    properties.put(JdbcCatalog.PROPERTY_PREFIX + "user", jdbcUser);
    properties.put("jdbc.schema-version", "V1");
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    properties.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO");
    Configuration hadoop = new Configuration();
    if (!s3Endpoint.isEmpty()) {
      hadoop.set("fs.s3a.endpoint", s3Endpoint);
      hadoop.set("fs.s3a.path.style.access", "true");
      // With the default (delete), S3A's write of a metadata file waits for the deletion of parent
      // directory markers, which never completed here (Hadoop 3.3.4); keeping markers is what
      // Hadoop recommends for any store whose other clients are Hadoop 3.3 or newer.
      hadoop.set("fs.s3a.directory.marker.retention", "keep");
      hadoop.set("fs.s3a.connection.ssl.enabled", String.valueOf(s3Endpoint.startsWith("https")));
      // Keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY only.
      hadoop.set(
          "fs.s3a.aws.credentials.provider",
          "com.amazonaws.auth.EnvironmentVariableCredentialsProvider");
    }
    Catalog backend = CatalogUtil.buildIcebergCatalog(BACKEND_NAME, properties, hadoop);

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new RESTCatalogServlet(new RESTCatalogAdapter(backend))), "/*");
    server.setHandler(context);
    server.start();
    return new RestCatalog(server, backend);
  }

  URI uri() {
    return server.getURI();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      if (backend instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  @Override
  public String toString() {
    return "REST catalog " + uri();
  }
}
