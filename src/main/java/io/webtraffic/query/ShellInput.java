package io.webtraffic.query;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Where the shell's lines come from: a terminal with line editing and history, or plain input. */
public interface ShellInput extends AutoCloseable {
  /**
   * The next line, or empty at the end of the input.
   *
   * @throws Interrupted when the user pressed Ctrl-C at the prompt
   */
  Optional<String> readLine(String prompt);

  /** Ctrl-C at the prompt: the statement being typed is dropped. */
  final class Interrupted extends RuntimeException {
    Interrupted() {
      super("interrupted", null, false, false);
    }
  }

  @Override
  void close();

  /** Piped or redirected input: no prompt, no echo, as psql does with a script. */
  static ShellInput of(BufferedReader reader) {
    return new ShellInput() {
      @Override
      public Optional<String> readLine(String prompt) {
        try {
          return Optional.ofNullable(reader.readLine());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void close() {}
    };
  }

  /**
   * The user's terminal (JLine): arrow keys, Ctrl-R search, history kept in {@code history} across
   * sessions. Ctrl-C drops the line being typed or cancels the running statement; Ctrl-D at an
   * empty prompt leaves.
   */
  static ShellInput terminal(Path history, Runnable onInterrupt) throws IOException {
    Terminal terminal = TerminalBuilder.builder().system(true).build();
    // Outside readLine (while a statement runs), Ctrl-C cancels the statement, not the shell.
    terminal.handle(Terminal.Signal.INT, signal -> onInterrupt.run());
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("webtraffic-sql")
            .variable(LineReader.HISTORY_FILE, history)
            // Keep statements as typed: no "!" history expansion inside SQL strings.
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .build();
    return new ShellInput() {
      @Override
      public Optional<String> readLine(String prompt) {
        try {
          return Optional.of(reader.readLine(prompt));
        } catch (UserInterruptException e) {
          throw new Interrupted();
        } catch (EndOfFileException e) {
          return Optional.empty();
        }
      }

      @Override
      public void close() {
        try {
          reader.getHistory().save();
          terminal.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
}
