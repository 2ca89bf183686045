package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.cost.CostCalculator;
import dev.portcullis.gateway.cost.PriceTable;
import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.limits.LimitCounters;
import dev.portcullis.gateway.limits.StoreTargetCapacity;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.provider.TranslatorRegistry;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.routing.Router;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.testing.MutableClock;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A gateway's pipeline in memory: its real stages over a compiled snapshot, an in-process limit
 * store and a {@link TestingTransport} for every upstream. Two routes: {@code gpt} served by an
 * OpenAI target and {@code claude} by an Anthropic one, both priced; two keys: {@link #KEY} without
 * limits and {@link #LIMITED_KEY} allowed one request per minute.
 */
final class PipelineFixture implements AutoCloseable {
  static final String KEY = "sk-test-app";
  static final String LIMITED_KEY = "sk-test-limited";

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  final TestingTransport upstream = new TestingTransport();
  final TestingLimitStore store = new TestingLimitStore();
  final ProviderRegistry providers = ProviderRegistry.builtIn();
  final TranslatorRegistry translators = TranslatorRegistry.builtIn();
  final Authenticator authenticator = new Authenticator(clock);
  final Router router = new Router(new StoreTargetCapacity(store, clock), clock);
  final AdmissionControl admissions =
      new AdmissionControl(
          store, new CostCalculator(PriceTable.builtIn()), new LimitCounters(), clock, 100);
  final GatewayState state;
  private int requests;

  PipelineFixture() {
    TestSnapshots snapshot =
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .key("team-a", "limited", LIMITED_KEY, new KeyConfig.Limits(1, null, null), null, false)
            .route(
                "team-a",
                "gpt",
                "gpt",
                Mode.SINGLE,
                TestSnapshots.withPricing(
                    TestSnapshots.provider("openai", "openai", "up-gpt", "http://openai.test/v1"),
                    "1",
                    "2"))
            .route(
                "team-a",
                "claude",
                "claude",
                Mode.SINGLE,
                TestSnapshots.withPricing(
                    TestSnapshots.provider(
                        "anthropic", "anthropic", "up-claude", "http://anthropic.test"),
                    "1",
                    "2"));
    try {
      state = GatewayState.compile(snapshot.build(), providers);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pipeline as the gateway builds it. */
  ProxyPipeline pipeline() {
    return new ProxyPipeline(
        () -> state, authenticator, providers, translators, upstream, admissions, router);
  }

  UpstreamProviders upstreams() {
    return new UpstreamProviders(providers, translators);
  }

  static ClientCall call(WireFormat format, Operation operation, String key, String json) {
    return new ClientCall(
        Endpoints.builtIn().of(format, operation),
        key,
        json.replace('\'', '"').getBytes(StandardCharsets.UTF_8),
        Map.of(),
        "req-test");
  }

  /** An OpenAI chat call with {@link #KEY}; single quotes in {@code json} become double. */
  static ClientCall openAiChat(String json) {
    return call(WireFormat.OPENAI, Operation.CHAT, KEY, json);
  }

  /** An Anthropic messages call with {@link #KEY}; single quotes in {@code json} become double. */
  static ClientCall anthropicMessages(String json) {
    return call(WireFormat.ANTHROPIC, Operation.CHAT, KEY, json);
  }

  /** Runs a call through the whole pipeline; the context is returned to read what was learnt. */
  RequestContext handle(ClientCall call, TestingResponder out) {
    RequestContext request = new RequestContext(call, out, () -> ++requests);
    pipeline().handle(request);
    return request;
  }

  /** A context with the stages before {@code upstream} already run, as a later stage sees it. */
  RequestContext routed(ClientCall call, TestingResponder out) {
    RequestContext request = new RequestContext(call, out, () -> ++requests);
    new AuthenticateStage(() -> state, authenticator).apply(request);
    new ParseStage().apply(request);
    new RouteStage(router).apply(request);
    return request;
  }

  @Override
  public void close() {
    router.close();
  }
}
