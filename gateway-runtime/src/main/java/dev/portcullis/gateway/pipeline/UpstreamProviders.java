package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.Provider;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.routing.Attempt;

/**
 * The provider behind an attempt and the translator between it and the client, as the upstream and
 * relay stages both need them.
 */
final class UpstreamProviders {
  private final ProviderRegistry providers;
  private final TranslatorRegistry translators;

  UpstreamProviders(ProviderRegistry providers, TranslatorRegistry translators) {
    this.providers = providers;
    this.translators = translators;
  }

  Provider provider(Attempt attempt) {
    return providers
        .find(attempt.target().provider())
        .orElseThrow(
            () ->
                new GatewayException(
                    ErrorKind.BAD_GATEWAY,
                    "unknown_provider",
                    "Target "
                        + attempt.target().name()
                        + " uses unknown provider "
                        + attempt.target().provider()));
  }

  /** The translator from the provider's format to the client's; null when they are the same. */
  Translator translator(ClientCall call, Provider provider) {
    return translators.lookup(call.format(), provider.formatFor(call.format())).orElse(null);
  }

  /** The format the upstream answers in for this client (where its usage is read). */
  WireFormat upstreamFormat(ClientCall call, Attempt attempt) {
    return provider(attempt).formatFor(call.format());
  }

  Translator translator(ClientCall call, Attempt attempt) {
    return translator(call, provider(attempt));
  }
}
