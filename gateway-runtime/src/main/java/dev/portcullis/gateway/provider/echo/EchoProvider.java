package dev.portcullis.gateway.provider.echo;

import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamTransport;
import dev.portcullis.gateway.provider.WireFormat;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A built-in upstream that needs no network and no key: it speaks OpenAI's wire format and echoes
 * the last user message back (see {@link EchoChatCompletions} for the tool-call convention). For
 * quickstarts, demos and tests of everything in the gateway except a real model.
 */
public final class EchoProvider implements Provider {
  public static final String ID = "echo";

  static final String CHAT_PATH = "/v1/chat/completions";
  static final String COMPLETIONS_PATH = "/v1/completions";
  static final String EMBEDDINGS_PATH = "/v1/embeddings";

  private static final String BASE = "echo://in-process";

  private final EchoTransport transport = new EchoTransport();

  @Override
  public String id() {
    return ID;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  @Override
  public boolean supports(Operation operation) {
    return operation != Operation.COUNT_TOKENS;
  }

  @Override
  public UpstreamRequest request(
      Operation operation,
      TargetConfig target,
      String upstreamModel,
      boolean stream,
      SecretValue credential,
      byte[] body) {
    String path =
        switch (operation) {
          case CHAT -> CHAT_PATH;
          case COMPLETIONS -> COMPLETIONS_PATH;
          case EMBEDDINGS -> EMBEDDINGS_PATH;
          case COUNT_TOKENS, RESPONSES ->
              throw new IllegalArgumentException("echo targets do not serve " + operation);
        };
    return new UpstreamRequest(
        "POST",
        URI.create(BASE + path),
        Map.of(
            "content-type",
            "application/json",
            "accept",
            stream ? "text/event-stream" : "application/json"),
        body,
        stream);
  }

  @Override
  public Optional<UpstreamTransport> transport() {
    return Optional.of(transport);
  }
}
