package io.webtraffic.cli;

import picocli.CommandLine.Command;

/** Placeholder; replaced by the real command. */
@Command(name = "generate", description = "not yet implemented")
public final class GenerateCommand implements Runnable {
  @Override
  public void run() {
    throw new UnsupportedOperationException("generate is not implemented yet");
  }
}
