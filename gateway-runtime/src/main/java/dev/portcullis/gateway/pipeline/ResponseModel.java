package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.sse.SseEvent;
import java.io.IOException;

/**
 * The model the upstream says answered, read from its answer before any translation (a translated
 * answer names the model the client asked for): the top-level {@code model} of an OpenAI body or
 * chunk and of an Anthropic message ({@code modelVersion} for Gemini), or the {@code model} one
 * level down in Anthropic's {@code message_start} ({@code message.model}) and the Responses API's
 * events ({@code response.model}). Only the fields before it are tokenized, nested values skipped,
 * and at most the first {@value #MAX_SCANNED} bytes are read, so a large answer (embeddings list
 * their vectors before the model) costs no more than that; of a stream only the first {@value
 * #EVENTS} events are looked at. For telemetry: the metrics label it only when the configuration
 * names the model. One per request; {@link #ignored()} when telemetry is off.
 */
final class ResponseModel {
  /** Stream events looked at: the model is in the first in every format. */
  static final int EVENTS = 3;

  private static final ResponseModel IGNORED = new ResponseModel(0);

  private volatile String model;
  private int eventsLeft;

  private ResponseModel(int events) {
    this.eventsLeft = events;
  }

  /** Reads the model of this request's answer. */
  static ResponseModel reading() {
    return new ResponseModel(EVENTS);
  }

  /** Reads nothing (telemetry off). */
  static ResponseModel ignored() {
    return IGNORED;
  }

  /** A whole upstream body, as it came. */
  void body(byte[] upstreamBody) {
    if (this != IGNORED) {
      model = of(upstreamBody);
    }
  }

  /** A whole upstream body already parsed (to be translated). */
  void body(JsonNode upstream) {
    if (this != IGNORED && upstream != null) {
      JsonNode found = upstream.get("model");
      if (found == null) {
        found = upstream.get("modelVersion");
      }
      model = found != null && found.isTextual() ? bounded(found.textValue()) : null;
    }
  }

  /** Whether {@link #event} still looks at events (the first few, while no model was found). */
  boolean wantsEvents() {
    return eventsLeft > 0;
  }

  /** One upstream stream event, in order. */
  void event(SseEvent upstreamEvent) {
    if (eventsLeft <= 0 || this == IGNORED) {
      return;
    }
    eventsLeft--;
    String found = of(upstreamEvent.data());
    if (found != null) {
      model = found;
      eventsLeft = 0;
    }
  }

  /** The model found, or null. */
  String model() {
    return model;
  }

  /** Bytes of a whole answer looked at: the model comes early in every format but embeddings. */
  static final int MAX_SCANNED = 64 * 1024;

  /** A longer "model" is not a model name. */
  static final int MAX_LENGTH = 256;

  private static final JsonFactory JSON = Jackson.factory().build();

  /** The model of a whole JSON answer, or null. */
  static String of(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try (JsonParser p = JSON.createParser(body, 0, Math.min(body.length, MAX_SCANNED))) {
      return find(p);
    } catch (IOException | RuntimeException e) {
      return null; // not JSON, or cut at the scan limit before the model
    }
  }

  /** The model of one stream event's data, or null. */
  static String of(String eventData) {
    if (eventData == null || eventData.isEmpty() || eventData.charAt(0) != '{') {
      return null; // "[DONE]" and the like
    }
    try (JsonParser p =
        JSON.createParser(eventData.substring(0, Math.min(eventData.length(), MAX_SCANNED)))) {
      return find(p);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String bounded(String model) {
    return model == null || model.isEmpty() || model.length() > MAX_LENGTH ? null : model;
  }

  private static String find(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    return findIn(p, true);
  }

  /** Reads the current object's fields; {@code outer}: look one level into message/response. */
  private static String findIn(JsonParser p, boolean outer) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if ((name.equals("model") || name.equals("modelVersion"))
          && value == JsonToken.VALUE_STRING) {
        return bounded(p.getText());
      }
      if (outer
          && value == JsonToken.START_OBJECT
          && (name.equals("message") || name.equals("response"))) {
        String inner = findIn(p, false);
        if (inner != null) {
          return inner;
        }
        continue; // findIn read to the nested object's end
      }
      p.skipChildren();
    }
    return null;
  }
}
