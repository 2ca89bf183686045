package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthenticateStageTest {
  final PipelineFixture gateway = new PipelineFixture();

  @AfterEach
  void close() {
    gateway.close();
  }

  private RequestContext request(String key) {
    return new RequestContext(
        PipelineFixture.call(WireFormat.OPENAI, Operation.CHAT, key, "{}"), new TestingResponder());
  }

  @Test
  void aKnownKeyIsAuthenticatedUnderTheCurrentConfiguration() {
    RequestContext request = request(PipelineFixture.KEY);

    assertThat(new AuthenticateStage(() -> gateway.state, gateway.authenticator).apply(request))
        .isEqualTo(Stage.Flow.CONTINUE);
    assertThat(request.key().id().qualifiedName()).isEqualTo("team-a/app");
    assertThat(request.state()).isSameAs(gateway.state);
  }

  @Test
  void anUnknownKeyIsRefusedWith401() {
    assertThatThrownBy(
            () ->
                new AuthenticateStage(() -> gateway.state, gateway.authenticator)
                    .apply(request("sk-nobody")))
        .isInstanceOfSatisfying(
            GatewayException.class, e -> assertThat(e.error().status()).isEqualTo(401));
  }

  @Test
  void withoutAConfigurationTheGatewayIsNotReady() {
    assertThatThrownBy(
            () ->
                new AuthenticateStage(() -> null, gateway.authenticator)
                    .apply(request(PipelineFixture.KEY)))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.error().status()).isEqualTo(503);
              assertThat(e.error().code()).isEqualTo("not_ready");
            });
  }
}
