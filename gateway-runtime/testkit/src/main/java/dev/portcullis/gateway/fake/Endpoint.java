package dev.portcullis.gateway.fake;

/** The API operations the fake serves, and which request path selects each. */
enum Endpoint {
  OPENAI_CHAT(Protocol.OPENAI),
  OPENAI_RESPONSES(Protocol.OPENAI),
  OPENAI_COMPLETIONS(Protocol.OPENAI),
  OPENAI_EMBEDDINGS(Protocol.OPENAI),
  /** {@code GET /v1/models}; Anthropic clients (with {@code anthropic-version}) get its shape. */
  MODELS(Protocol.OPENAI),
  ANTHROPIC_MESSAGES(Protocol.ANTHROPIC),
  ANTHROPIC_COUNT_TOKENS(Protocol.ANTHROPIC),
  GEMINI_GENERATE(Protocol.GEMINI),
  GEMINI_STREAM(Protocol.GEMINI),
  GEMINI_EMBED(Protocol.GEMINI),
  GEMINI_BATCH_EMBED(Protocol.GEMINI),
  GEMINI_COUNT_TOKENS(Protocol.GEMINI),
  GEMINI_MODELS(Protocol.GEMINI);

  private final Protocol protocol;

  Endpoint(Protocol protocol) {
    this.protocol = protocol;
  }

  Protocol protocol() {
    return protocol;
  }

  /**
   * A matched request path.
   *
   * @param endpoint the operation
   * @param pathModel the model or Azure deployment named in the path, or {@code null}
   */
  record Match(Endpoint endpoint, String pathModel) {}

  /** The endpoint for a decoded path, or {@code null} if the fake does not serve it. */
  static Match match(String method, String path) {
    boolean post = "POST".equals(method);
    boolean get = "GET".equals(method);
    String p = path.startsWith("/openai/v1/") ? path.substring("/openai".length()) : path;
    if (post) {
      switch (p) {
        case "/v1/chat/completions" -> {
          return new Match(OPENAI_CHAT, null);
        }
        case "/v1/completions" -> {
          return new Match(OPENAI_COMPLETIONS, null);
        }
        case "/v1/responses" -> {
          return new Match(OPENAI_RESPONSES, null);
        }
        case "/v1/embeddings" -> {
          return new Match(OPENAI_EMBEDDINGS, null);
        }
        case "/v1/messages" -> {
          return new Match(ANTHROPIC_MESSAGES, null);
        }
        case "/v1/messages/count_tokens" -> {
          return new Match(ANTHROPIC_COUNT_TOKENS, null);
        }
        default -> {}
      }
      if (p.startsWith("/openai/deployments/")) {
        return azure(p.substring("/openai/deployments/".length()));
      }
      if (p.startsWith("/v1beta/models/") || p.startsWith("/v1/models/")) {
        return gemini(p.substring(p.indexOf("/models/") + "/models/".length()));
      }
    }
    if (get) {
      if (p.equals("/v1/models")) {
        return new Match(MODELS, null);
      }
      if (p.equals("/v1beta/models")) {
        return new Match(GEMINI_MODELS, null);
      }
    }
    return null;
  }

  /** {@code {deployment}/chat/completions} and friends, after {@code /openai/deployments/}. */
  private static Match azure(String rest) {
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    String deployment = rest.substring(0, slash);
    return switch (rest.substring(slash)) {
      case "/chat/completions" -> new Match(OPENAI_CHAT, deployment);
      case "/completions" -> new Match(OPENAI_COMPLETIONS, deployment);
      case "/responses" -> new Match(OPENAI_RESPONSES, deployment);
      case "/embeddings" -> new Match(OPENAI_EMBEDDINGS, deployment);
      default -> null;
    };
  }

  /** {@code {model}:{method}} after {@code /v1beta/models/}. */
  private static Match gemini(String rest) {
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String model = rest.substring(0, colon);
    Endpoint endpoint =
        switch (rest.substring(colon + 1)) {
          case "generateContent" -> GEMINI_GENERATE;
          case "streamGenerateContent" -> GEMINI_STREAM;
          case "embedContent" -> GEMINI_EMBED;
          case "batchEmbedContents" -> GEMINI_BATCH_EMBED;
          case "countTokens" -> GEMINI_COUNT_TOKENS;
          default -> null;
        };
    return endpoint == null ? null : new Match(endpoint, model);
  }

  /** Whose error format to use for a path the fake does not serve. */
  static Protocol protocolOf(String path) {
    if (path.startsWith("/v1/messages")) {
      return Protocol.ANTHROPIC;
    }
    if (path.startsWith("/v1beta/") || path.contains(":")) {
      return Protocol.GEMINI;
    }
    return Protocol.OPENAI;
  }
}
