package dev.portcullis.gateway.sse;

/**
 * One server-sent event. {@code event} is null for unnamed events (OpenAI); {@code data} is the
 * joined data lines.
 */
public record SseEvent(String event, String data) {
  public static SseEvent data(String data) {
    return new SseEvent(null, data);
  }

  public static SseEvent named(String event, String data) {
    return new SseEvent(event, data);
  }
}
