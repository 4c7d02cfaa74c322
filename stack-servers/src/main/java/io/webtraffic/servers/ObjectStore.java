package io.webtraffic.servers;

import java.net.URI;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 server on 127.0.0.1: S3Proxy over jclouds' in-memory store, checking AWS signatures (v2 and
 * v4) against one key pair. In memory because there keys are flat names, as in S3: S3Proxy's
 * folder-backed stores map "directories" to folders and answer S3A's directory probes unlike S3
 * (an empty directory marker is not listed; the nio2 store answers a HEAD of {@code a/b} with the
 * marker {@code a/b/}, and S3A then takes the checkpoint folder for a file). Objects live as long as
 * the stack.
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

  static ObjectStore start(int port, String bucket, S3Keys keys) {
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
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
    try {
      proxy.start();
    } catch (Exception e) {
      context.close();
      throw new IllegalStateException("Cannot start S3Proxy on port " + port + ": " + e, e);
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!proxy.getState().equals("STARTED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy not started after 30 s: " + proxy.getState());
      }
      sleep(); // S3Proxy offers no wait; its Jetty starts in well under a second
    }
    return new ObjectStore(proxy, context, bucket);
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting S3Proxy", e);
    }
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
