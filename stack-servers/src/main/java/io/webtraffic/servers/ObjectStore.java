package io.webtraffic.servers;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server on 127.0.0.1: S3Proxy over a folder (its filesystem-nio2 store: one sub-folder
 * per bucket, one file per object), checking AWS signatures (v2 and v4) against one key pair.
 */
final class ObjectStore implements AutoCloseable {
  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String bucket;

  private ObjectStore(S3Proxy proxy, BlobStoreContext context, String bucket) {
    this.proxy = proxy;
    this.context = context;
    this.bucket = bucket;
  }

  static ObjectStore start(int port, Path dir, String bucket, S3Keys keys) throws Exception {
    Files.createDirectories(dir);
    Properties overrides = new Properties();
    overrides.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            // The folder store has no account of its own; jclouds still asks for one.
            .credentials("local", "local")
            .overrides(overrides)
            .build(BlobStoreContext.class);
    BlobStore blobStore = context.getBlobStore();
    // Created at start, as a user creates the bucket before pointing the job at it.
    blobStore.createContainerInLocation(null, bucket);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, keys.accessKeyId(), keys.secretAccessKey())
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!proxy.getState().equals("STARTED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy not started after 30 s: " + proxy.getState());
      }
      Thread.sleep(20); // S3Proxy offers no wait; its Jetty starts in well under a second
    }
    return new ObjectStore(proxy, context, bucket);
  }

  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  String bucket() {
    return bucket;
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }

  @Override
  public String toString() {
    return "object store " + endpoint();
  }
}
