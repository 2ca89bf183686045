package dev.portcullis.operator.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The shared secret gateways present to the config service. Read from its file on every check, so a
 * rotated mounted Secret takes effect without a restart; compared in constant time. Never logged.
 */
public final class FleetToken {
  private final Path file;

  public FleetToken(Path file) {
    this.file = file;
  }

  /** Fails fast at startup when the file is missing or empty. */
  public void check() throws IOException {
    if (read().length == 0) {
      throw new IOException("fleet token file " + file + " is empty");
    }
  }

  /** Whether {@code authorization} is {@code Bearer <the token>}. */
  public boolean admits(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] expected;
    try {
      expected = read();
    } catch (IOException e) {
      return false;
    }
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return expected.length > 0 && MessageDigest.isEqual(expected, given);
  }

  private byte[] read() throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "FleetToken[" + file + "]";
  }
}
