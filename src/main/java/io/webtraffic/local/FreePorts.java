package io.webtraffic.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Picks loopback ports for servers that must know their port before binding (a KRaft voter is named
 * by its address in the configuration). Another process could take the port in between; for a local
 * stack that rare race shows up as a clear bind error.
 */
public final class FreePorts {
  private FreePorts() {}

  /** A port free on 127.0.0.1 right now. */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /**
   * Fails fast, with a message naming the port, when a fixed port is taken: the servers' own bind
   * errors reach the user only as "Address already in use".
   */
  public static void requireFree(int port, String server) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IllegalStateException(
          String.format("Cannot start %s: port %d on 127.0.0.1 is already in use", server, port));
    }
  }

  /** The given port, or a free one when it is 0. */
  static int orFree(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          String.format("Invalid port: %d (0-65535, 0 picks a free port)", port));
    }
    return port == 0 ? pick() : port;
  }
}
