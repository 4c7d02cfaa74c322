package io.webtraffic.cli;

import picocli.CommandLine.Command;

/** Placeholder; replaced by the real command. */
@Command(name = "stack", description = "not yet implemented")
public final class StackCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("stack is not implemented yet");
  }
}
