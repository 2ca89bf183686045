package dev.portcullis.api.manifest;

import dev.portcullis.api.ResourceRef;

/**
 * A Secret key left out because its {@code stringData} value names an environment variable that is
 * unset or empty. Kept so that the resolver's "Secret has no such key" problem can be explained.
 *
 * @param secret the Secret
 * @param key the data key that was left out
 * @param variable the environment variable's name (never its value)
 */
public record MissingEnvironmentVariable(ResourceRef secret, String key, String variable) {

  /** E.g. {@code environment variable OPENAI_API_KEY is not set}. */
  public String describe() {
    return "environment variable " + variable + " is not set";
  }
}
