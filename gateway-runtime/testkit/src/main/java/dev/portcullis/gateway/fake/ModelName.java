package dev.portcullis.gateway.fake;

/**
 * A model name as a client sent it, split into the name the fake echoes back and the behaviour
 * options appended to it: {@code gpt-4o;latency=200ms;status=503} is model {@code gpt-4o} with two
 * options. This lets SDK clients that cannot set headers still choose a behaviour.
 *
 * @param name the model name without options
 * @param behaviour the options, or {@link Behaviour#none()}
 */
record ModelName(String name, Behaviour behaviour) {

  /**
   * @throws IllegalArgumentException if an option is unknown or malformed
   */
  static ModelName parse(String raw) {
    if (raw == null) {
      return new ModelName(null, Behaviour.none());
    }
    int semicolon = raw.indexOf(';');
    if (semicolon < 0) {
      return new ModelName(raw, Behaviour.none());
    }
    return new ModelName(
        raw.substring(0, semicolon), Behaviour.parse(raw.substring(semicolon + 1)));
  }
}
