package dev.portcullis.gateway.limits;

class InProcessLimitStoreTest extends LimitStoreContract {
  @Override
  LimitStore newStore() {
    return new InProcessLimitStore();
  }
}
