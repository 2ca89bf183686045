package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.http.GatewayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteStageTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  private RequestContext parsed(String body, TestingResponder out) {
    RequestContext request = new RequestContext(PipelineFixture.openAiChat(body), out);
    new AuthenticateStage(() -> gateway.state, gateway.authenticator).apply(request);
    new ParseStage().apply(request);
    return request;
  }

  @Test
  void theRouteIsResolvedNamedInAHeaderAndItsTargetsPlanned() {
    TestingResponder out = new TestingResponder();
    RequestContext request = parsed("{'model':'claude','messages':[]}", out);

    assertThat(new RouteStage(gateway.router).apply(request)).isEqualTo(Stage.Flow.CONTINUE);
    assertThat(request.route().id().qualifiedName()).isEqualTo("team-a/claude");
    assertThat(out.header("x-portcullis-route")).isEqualTo("team-a/claude");
    assertThat(request.plan())
        .singleElement()
        .satisfies(a -> assertThat(a.target().name()).isEqualTo("anthropic"));
  }

  @Test
  void anUnknownModelIsNotFound() {
    RequestContext request = parsed("{'model':'nope','messages':[]}", new TestingResponder());

    assertThatThrownBy(() -> new RouteStage(gateway.router).apply(request))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.error().code()).isEqualTo("model_not_found"));
  }
}
