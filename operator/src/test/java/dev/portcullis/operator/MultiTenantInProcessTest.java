package dev.portcullis.operator;

import dev.portcullis.gateway.GatewaySettings;

/**
 * The multi-tenant example with each gateway counting on its own (no Redis): the operator adds up
 * what the two gateways report.
 */
class MultiTenantInProcessTest extends MultiTenantExampleContract {
  @Override
  GatewaySettings gatewaySettings() {
    return GatewaySettings.ephemeral();
  }
}
