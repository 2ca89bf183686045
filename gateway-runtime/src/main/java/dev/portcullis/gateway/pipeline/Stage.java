package dev.portcullis.gateway.pipeline;

/**
 * One step of a proxied request's path. A stage reads what earlier stages put in the {@link
 * RequestContext}, adds what it learns, and either lets the request go on or ends it: with an
 * answer it sent itself ({@link Flow#ANSWERED}) or with a {@link
 * dev.portcullis.gateway.http.GatewayException}, which the pipeline answers in the caller's format.
 * A stage that needs to see the response registers a {@link ResponseObserver} on the context.
 *
 * <p>Stages are built once and shared by every request: all per-request state lives in the context.
 */
public interface Stage {
  /** Whether the request goes on to the next stage. */
  enum Flow {
    /** The next stage runs. */
    CONTINUE,
    /** This stage answered the client; no further stage runs. */
    ANSWERED
  }

  Flow apply(RequestContext request);
}
