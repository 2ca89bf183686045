package dev.portcullis.gateway.state;

/** A snapshot this gateway cannot apply; the message is the NACK reason. */
public final class SnapshotRejectedException extends Exception {
  public SnapshotRejectedException(String reason) {
    super(reason);
  }
}
