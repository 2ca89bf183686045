package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.Optional;

/**
 * Sees the answer a client gets in one shape, however it was produced: a body copied byte for byte,
 * a body translated whole, or a stream copied or translated event by event all arrive here in the
 * client's own format. So an output stage (accounting today; output guardrails, the cache store and
 * telemetry to come) is written once.
 *
 * <p>Order for one request: {@link #onHeaders} once, then either {@link #onBody} once (a whole
 * body) or {@link #onStreamEvent} per event, then {@link #onComplete} exactly once, also when the
 * request failed before any answer began. For a whole body {@code onComplete} comes before the
 * bytes leave, so what observers add with {@link RequestContext#trailer} still goes out as a
 * header; for a stream it follows the last event and trailers go out as SSE comments.
 *
 * <p>Observers run on the request's thread; they must be cheap, since they sit on every byte of the
 * answer. Only {@code onComplete} is shielded: an exception there is logged, so every observer
 * hears of the end.
 */
public interface ResponseObserver {
  /** How a request ended, as far as its answer is concerned. */
  enum Outcome {
    /**
     * The client got a whole answer: a target's (a body, or a stream to its end) or the gateway's
     * own (a locally counted {@code count_tokens}).
     */
    ANSWERED,
    /** A streamed answer stopped early: the upstream broke, time ran out or the client left. */
    CUT_SHORT,
    /** The client got an error instead of an answer (or nothing at all). */
    FAILED
  }

  /**
   * The status is decided and the headers are about to leave; {@link RequestContext#header} still
   * works here.
   *
   * @param streamed whether the body follows as an event stream
   */
  default void onHeaders(int status, boolean streamed) {}

  /** A whole JSON body exactly as the client gets it. */
  default void onBody(byte[] body) {}

  /** One event of a streamed answer as the client got it (called after it was sent). */
  default void onStreamEvent(SseEvent event) {}

  /**
   * Whether this observer looks at {@link #onStreamEvent}: when none of a request's observers does,
   * a stream copied byte for byte is not decoded into events for them (only what the usage needs
   * is). Asked once, when the stream starts; an observer that keeps events must say so.
   */
  default boolean observesStreamEvents() {
    return true;
  }

  /**
   * The answer ended.
   *
   * @param usage what the upstream reported (for a stream cut short: what it reported so far; for a
   *     failure: what an answer the gateway could not relay reported); empty when it reported
   *     nothing or no upstream answered
   */
  default void onComplete(Optional<Usage> usage, Outcome outcome) {}
}
