package dev.portcullis.gateway.cache;

import dev.portcullis.gateway.provider.WireFormat;

/**
 * An operation whose answers can be cached, named by the client's format and endpoint. It is part
 * of every cache key: the same body sent to {@code /v1/chat/completions} and to {@code
 * /v1/messages} asks different questions and gets answers of different shapes.
 */
public enum CachedOperation {
  /** OpenAI {@code POST /v1/chat/completions}. */
  OPENAI_CHAT_COMPLETIONS(WireFormat.OPENAI, "chat.completions"),
  /** OpenAI {@code POST /v1/completions} (legacy text completions). */
  OPENAI_COMPLETIONS(WireFormat.OPENAI, "completions"),
  /** Anthropic {@code POST /v1/messages}. */
  ANTHROPIC_MESSAGES(WireFormat.ANTHROPIC, "messages");

  private final WireFormat clientFormat;
  private final String operationName;

  CachedOperation(WireFormat clientFormat, String operationName) {
    this.clientFormat = clientFormat;
    this.operationName = operationName;
  }

  /** The format the caller speaks, in which the answer is stored. */
  public WireFormat clientFormat() {
    return clientFormat;
  }

  /** A stable name of the operation; hashed into keys, so never renamed. */
  public String operationName() {
    return operationName;
  }
}
