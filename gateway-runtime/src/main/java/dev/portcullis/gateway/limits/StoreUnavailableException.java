package dev.portcullis.gateway.limits;

/** The shared limit store could not be reached within its timeout. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
