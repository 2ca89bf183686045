package dev.portcullis.gateway.telemetry;

/** Metric label names and the two values that stand for "no value" and "not in the config". */
final class Labels {
  /** The request had no such thing (e.g. no key: authentication failed before one was known). */
  static final String NONE = "none";

  /** A value the applied configuration does not name (an unknown model, a removed route). */
  static final String OTHER = "other";

  static final String NAMESPACE = "namespace";
  static final String KEY = "key";
  static final String ROUTE = "route";
  static final String TARGET = "target";
  static final String STATUS = "status";

  static final String GEN_AI_OPERATION = "gen_ai.operation.name";
  static final String GEN_AI_PROVIDER = "gen_ai.provider.name";
  static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
  static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
  static final String GEN_AI_TOKEN_TYPE = "gen_ai.token.type";
  static final String ERROR_TYPE = "error.type";

  private Labels() {}
}
