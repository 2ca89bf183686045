package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.telemetry.AttemptSpan;
import dev.portcullis.gateway.telemetry.Telemetry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * An upstream's answer whose attempt span (tracing on) ends when the answer is closed, not at its
 * headers: then the span covers the whole answer, streams included, as the GenAI conventions time
 * an operation, and names the model that answered ({@code gen_ai.response.model}) when this is the
 * answer the request relays ({@link #relayed}): the relay reads the model from it before closing
 * it. An answer the router discards (a retried status, a hedge that lost) ends its span when the
 * router closes it, without a model.
 */
final class AttemptResponse implements UpstreamResponse {
  private final UpstreamResponse upstream;
  private final Telemetry telemetry;
  private final AttemptSpan span;
  private volatile ResponseModel model;
  private boolean ended;

  private AttemptResponse(UpstreamResponse upstream, Telemetry telemetry, AttemptSpan span) {
    this.upstream = upstream;
    this.telemetry = telemetry;
    this.span = span;
  }

  /** {@code upstream}, ending {@code span} when it is closed (as it is, when tracing is off). */
  static UpstreamResponse of(UpstreamResponse upstream, Telemetry telemetry, AttemptSpan span) {
    if (!span.traced()) {
      return upstream;
    }
    return new AttemptResponse(upstream, telemetry, span);
  }

  /** {@code response} is the one the request relays; {@code model} reads its model. */
  static void relayed(UpstreamResponse response, ResponseModel model) {
    if (response instanceof AttemptResponse attempt) {
      attempt.model = model;
    }
  }

  @Override
  public int status() {
    return upstream.status();
  }

  @Override
  public String header(String name) {
    return upstream.header(name);
  }

  @Override
  public Map<String, String> headers() {
    return upstream.headers();
  }

  @Override
  public InputStream body() {
    return upstream.body();
  }

  @Override
  public void close() throws IOException {
    try {
      upstream.close();
    } finally {
      end();
    }
  }

  private synchronized void end() {
    if (!ended) {
      ended = true;
      ResponseModel relayed = model;
      telemetry.endAttempt(span, upstream.status(), null, relayed == null ? null : relayed.model());
    }
  }
}
