package dev.tokenauthority.core.easemobdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenauthority.core.MalformedTokenException;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.TokenException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of the dynamic token: round trips, single-character tampering, hostile input. */
class DynamicTokenProperties {
  private static final String NAME_CHARS =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.";
  private static final String URL_BASE64_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ ";
  private static final int URL_BASE64_CHARS_LENGTH = 68;

  record Input(String org, String app, String clientId, String secret, String userId, long ttl, long curTime) {
    DynamicToken build() {
      return DynamicToken.builder().appKey(org + "#" + app).clientId(clientId).clientSecret(Secret.of(secret))
          .userId(userId).ttlSeconds(ttl).issuedAt(curTime).build();
    }

    DynamicTokenVerifier verifier() {
      return DynamicTokenVerifier.builder().credential(new ClientCredential(clientId, Secret.of(secret)))
          .expectedAppKey(org + "#" + app).clock(Clock.fixed(Instant.ofEpochSecond(curTime), ZoneOffset.UTC)).build();
    }
  }

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<String> names = Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(30);
    Arbitrary<String> clientIds = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> secrets = Arbitraries.strings().ofMinLength(1).ofMaxLength(40);
    Arbitrary<String> userIds = Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(64);
    Arbitrary<Long> ttls = Arbitraries.longs().between(1, EasemobRules.MAX_TTL_SECONDS);
    Arbitrary<Long> curTimes = Arbitraries.longs().between(0, 4_000_000_000L);
    return Combinators.combine(names, names, clientIds, secrets, userIds, ttls, curTimes).as(Input::new);
  }

  @Property(tries = 300)
  void buildThenParseAndVerifyRoundTrips(@ForAll("inputs") Input in) {
    DynamicToken built = in.build();
    DynamicToken parsed = DynamicTokenParser.parse(built.token());

    assertThat(parsed).isEqualTo(built);
    assertThat(in.verifier().verify(built.token()).claims()).isEqualTo(built);
    String unpadded = built.token().replace("=", "");
    assertThat(in.verifier().verify(unpadded).claims().userId()).isEqualTo(in.userId());
    assertThat(parsed.appKey()).isEqualTo(in.org() + "#" + in.app());
    assertThat(parsed.expiresAt()).isEqualTo(Instant.ofEpochSecond(in.curTime() + in.ttl()));
  }

  @Property(tries = 500)
  void changingAnySingleCharacterMakesParseOrVerifyFail(
      @ForAll("inputs") Input in,
      @ForAll boolean padded,
      @ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll @IntRange(min = 0, max = URL_BASE64_CHARS_LENGTH - 1) int replacement) {
    String token = padded ? in.build().token() : in.build().token().replace("=", "");
    int i = position % token.length();
    char c = URL_BASE64_CHARS.charAt(replacement);
    if (token.charAt(i) == c) {
      c = URL_BASE64_CHARS.charAt((replacement + 1) % URL_BASE64_CHARS.length());
    }
    String tampered = token.substring(0, i) + c + token.substring(i + 1);

    DynamicToken accepted;
    try {
      accepted = in.verifier().verify(tampered).claims();
    } catch (TokenException expected) {
      return;
    }
    // Accepted: only when the edit changed the JSON spelling, not a value. The parser takes any
    // whitespace (other SDKs' JSON, e.g. Python's json.dumps, puts spaces after ':' and ','), so
    // an '=' replaced by a character that decodes to a trailing tab, newline or space still reads
    // the same signed values. Anything else accepted would be a forgery.
    DynamicToken original = DynamicTokenParser.parse(token);
    assertThat(new String(Base64.getUrlDecoder().decode(tampered.replace("=", "")), StandardCharsets.UTF_8).strip())
        .isEqualTo(new String(Base64.getUrlDecoder().decode(token.replace("=", "")), StandardCharsets.UTF_8).strip());
    assertThat(List.of(accepted.signature(), accepted.appKey(), accepted.userId(), accepted.curTime(), accepted.ttlSeconds()))
        .isEqualTo(List.of(original.signature(), original.appKey(), original.userId(), original.curTime(), original.ttlSeconds()));
  }

  /** The case jqwik found: the padding '=' turned into 'J' decodes to the same JSON plus a tab. */
  @Example
  void paddingTurnedIntoTrailingWhitespaceReadsTheSameValues() {
    Input in = new Input("0", "0", "!", "s", "0", 1_000_000, 0);
    String token = in.build().token();
    assertThat(token).endsWith("=");
    String tampered = token.substring(0, token.length() - 1) + "J";

    DynamicToken accepted = in.verifier().verify(tampered).claims();
    assertThat(accepted.userId()).isEqualTo("0");
    assertThat(accepted.ttlSeconds()).isEqualTo(1_000_000);
  }

  @Property(tries = 500)
  void arbitraryStringsOnlyEverFailAsMalformed(@ForAll String s) {
    assertThatThrownBy(() -> DynamicTokenParser.parse(s)).isInstanceOf(MalformedTokenException.class);
  }

  @Property(tries = 500)
  void arbitraryDtBodiesFailOnlyWithTypedExceptions(@ForAll String body, @ForAll boolean asJsonish) {
    String text = asJsonish ? "{\"signature\":" + body + "}" : body;
    String token = Base64.getUrlEncoder().encodeToString(("dt-" + text).getBytes(StandardCharsets.UTF_8));
    DynamicTokenVerifier v = DynamicTokenVerifier.builder()
        .credential(new ClientCredential("id", Secret.of("secret"))).expectedAppKey("o#a").build();

    assertThatThrownBy(() -> v.verify(token)).isInstanceOf(TokenException.class);
  }
}
