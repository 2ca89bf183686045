package dev.portcullis.gateway.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.sse.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test fixtures: JSON literals, recorded upstream streams, running a stream translator. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** Parses a JSON object written with single quotes for readability. */
  static ObjectNode json(String singleQuoted) {
    try {
      return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /**
   * What a client receives: the tree serialized and parsed back, so numbers compare by value (the
   * translators build longs, literals parse as ints).
   */
  static JsonNode onTheWire(JsonNode node) {
    return parse(node.toString());
  }

  /** A recorded upstream stream from the test resources, read with the real SSE reader. */
  static List<SseEvent> events(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      SseReader reader = new SseReader(in);
      List<SseEvent> events = new ArrayList<>();
      for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
        events.add(e.get());
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds every event through the translator, then finishes it; returns all client events. */
  static List<SseEvent> run(StreamTranslator translator, List<SseEvent> upstream) {
    List<SseEvent> out = new ArrayList<>();
    for (SseEvent e : upstream) {
      out.addAll(translator.onEvent(e));
    }
    out.addAll(translator.finish());
    return out;
  }

  static SseEvent anthropic(String singleQuotedJson) {
    ObjectNode node = json(singleQuotedJson);
    return SseEvent.named(node.get("type").asText(), node.toString());
  }

  static SseEvent openAi(String singleQuotedJson) {
    return SseEvent.data(json(singleQuotedJson).toString());
  }
}
