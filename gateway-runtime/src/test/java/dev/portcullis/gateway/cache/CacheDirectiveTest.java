package dev.portcullis.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CacheDirectiveTest {
  @Test
  void withoutHeadersTheCacheIsReadAndWritten() {
    assertThat(CacheDirective.parse(null, null)).isEqualTo(CacheDirective.DEFAULT);
  }

  @Test
  void bypassNeitherReadsNorWrites() {
    assertThat(CacheDirective.parse("bypass", null))
        .isEqualTo(new CacheDirective(false, false, CacheStatus.BYPASS));
    assertThat(CacheDirective.parse(" BYPASS ", "no-cache").statusWithoutRead())
        .isEqualTo(CacheStatus.BYPASS);
  }

  @Test
  void refreshAndNoCacheSkipTheReadButStore() {
    CacheDirective refresh = new CacheDirective(false, true, CacheStatus.REFRESH);
    assertThat(CacheDirective.parse("refresh", null)).isEqualTo(refresh);
    assertThat(CacheDirective.parse(null, "no-cache")).isEqualTo(refresh);
    assertThat(CacheDirective.parse(null, "max-age=0, No-Cache")).isEqualTo(refresh);
  }

  @Test
  void noStoreReadsButDoesNotWrite() {
    assertThat(CacheDirective.parse(null, "no-store"))
        .isEqualTo(new CacheDirective(true, false, null));
  }

  @Test
  void noCacheWithNoStoreDoesNeither() {
    assertThat(CacheDirective.parse(null, "no-cache, no-store"))
        .isEqualTo(new CacheDirective(false, false, CacheStatus.REFRESH));
  }

  @Test
  void otherCacheControlDirectivesAreIgnored() {
    assertThat(CacheDirective.parse(null, "max-age=60, private")).isEqualTo(CacheDirective.DEFAULT);
  }

  @Test
  void anUnknownPortcullisValueIsAClearError() {
    assertThatThrownBy(() -> CacheDirective.parse("sometimes", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("x-portcullis-cache must be \"bypass\" or \"refresh\"");
  }

  @Test
  void theHeaderValuesAreThoseOfTheApi() {
    assertThat(CacheStatus.values())
        .extracting(CacheStatus::headerValue)
        .containsExactly("HIT", "SEMANTIC_HIT", "MISS", "BYPASS", "REFRESH");
  }
}
