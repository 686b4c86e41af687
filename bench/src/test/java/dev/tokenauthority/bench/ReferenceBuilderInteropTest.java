package dev.tokenauthority.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.agora.RtcPrivilege;
import dev.tokenauthority.core.agora.RtcRole;
import dev.tokenauthority.core.agora.issue.AgoraCredentials;
import dev.tokenauthority.core.agora.issue.AgoraTokenIssuer;
import dev.tokenauthority.core.agora.issue.IssueOverrides;
import dev.tokenauthority.core.agora.issue.RtcTokenRequest;
import dev.tokenauthority.core.agora007.AccessToken2Verifier;
import dev.tokenauthority.core.agora007.RtcService;
import io.agora.media.AccessToken2;
import io.agora.media.RtcTokenBuilder2;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Our "007" core against the vendor's reference Java builder ({@code io.agora:authentication}),
 * the anchor of the speed comparison: tokens it makes verify with our verifier, ours parse with its
 * parser, and with issue time and salt fixed both make the same bytes (so our zlib, packing and
 * signature are the reference's, not merely compatible).
 */
class ReferenceBuilderInteropTest {
  private static final int CASES = 200;
  private final SplittableRandom random = new SplittableRandom(0x0007_2026L);

  @Test
  void referenceTokensVerifyWithOurVerifier() {
    for (int i = 0; i < CASES; i++) {
      Case c = nextCase();
      String token = new RtcTokenBuilder2().buildTokenWithUid(c.appId, c.certificate, c.channel, c.uid,
          c.publisher ? RtcTokenBuilder2.Role.ROLE_PUBLISHER : RtcTokenBuilder2.Role.ROLE_SUBSCRIBER,
          c.lifetime, c.lifetime);
      // The reference stamps its own clock's time; verify at that time.
      AccessToken2Verifier verifier =
          new AccessToken2Verifier(Clock.fixed(Instant.now(), ZoneOffset.UTC));
      var verified = verifier.verify(token, List.of(new Secret("primary", c.certificate)));
      var claims = verified.claims();
      RtcService rtc = claims.rtc().orElseThrow();
      assertEquals(c.appId, claims.appId());
      assertEquals(c.channel, rtc.channelName());
      assertEquals(Integer.toUnsignedString(c.uid), rtc.uid());
      assertEquals(c.publisher ? 4 : 1, rtc.privileges().size(), "privileges of " + token);
      assertEquals((long) c.lifetime, rtc.privileges().get(RtcPrivilege.JOIN_CHANNEL.code()));
    }
  }

  @Test
  void ourTokensParseWithTheReferenceAndMatchItByteForByte() throws Exception {
    for (int i = 0; i < CASES; i++) {
      Case c = nextCase();
      long issuedAt = 1_600_000_000L + random.nextInt(200_000_000);
      long salt = 1 + random.nextInt(99_999_999);
      String ours = AgoraTokenIssuer.withSystemDefaults().issueRtc(
          new AgoraCredentials(c.appId, new Secret("primary", c.certificate)),
          RtcTokenRequest.builder().channelName(c.channel).uid(c.uid & 0xFFFFFFFFL)
              .role(c.publisher ? RtcRole.PUBLISHER : RtcRole.SUBSCRIBER).lifetimeSeconds(c.lifetime)
              .overrides(IssueOverrides.of(issuedAt, salt)).build()).token();

      AccessToken2 parsed = new AccessToken2();
      assertTrue(parsed.parse(ours), () -> "reference parser refused " + ours);
      assertEquals(c.appId, parsed.appId);
      assertEquals((int) issuedAt, parsed.issueTs);
      assertEquals((int) salt, parsed.salt);
      assertEquals(c.lifetime, parsed.expire);
      AccessToken2.ServiceRtc rtc = (AccessToken2.ServiceRtc) parsed.services.get(AccessToken2.SERVICE_TYPE_RTC); // getService() is a factory
      assertEquals(c.channel, rtc.getChannelName());
      assertEquals(Integer.toUnsignedString(c.uid), rtc.getUid());

      // The reference re-signing what it parsed (same issue time and salt) must give our text.
      parsed.appCert = c.certificate;
      assertEquals(ours, parsed.build(), "case " + i);

      // And the reference building the same grant from scratch gives the same bytes.
      AccessToken2 fresh = new AccessToken2(c.appId, c.certificate, c.lifetime);
      fresh.issueTs = (int) issuedAt;
      fresh.salt = (int) salt;
      AccessToken2.ServiceRtc service = new AccessToken2.ServiceRtc(c.channel, Integer.toUnsignedString(c.uid));
      service.addPrivilegeRtc(AccessToken2.PrivilegeRtc.PRIVILEGE_JOIN_CHANNEL, c.lifetime);
      if (c.publisher) {
        service.addPrivilegeRtc(AccessToken2.PrivilegeRtc.PRIVILEGE_PUBLISH_AUDIO_STREAM, c.lifetime);
        service.addPrivilegeRtc(AccessToken2.PrivilegeRtc.PRIVILEGE_PUBLISH_VIDEO_STREAM, c.lifetime);
        service.addPrivilegeRtc(AccessToken2.PrivilegeRtc.PRIVILEGE_PUBLISH_DATA_STREAM, c.lifetime);
      }
      fresh.addService(service);
      assertEquals(ours, fresh.build(), "case " + i);
    }
  }

  private record Case(String appId, String certificate, String channel, int uid, boolean publisher, int lifetime) {}

  private Case nextCase() {
    String channelChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{|}~,";
    StringBuilder channel = new StringBuilder();
    int len = 1 + random.nextInt(64);
    for (int i = 0; i < len; i++) {
      channel.append(channelChars.charAt(random.nextInt(channelChars.length())));
    }
    int uid = random.nextInt(1, Integer.MAX_VALUE);
    return new Case(hex32(), hex32(), channel.toString(), uid, random.nextBoolean(), 1 + random.nextInt(86_400));
  }

  private String hex32() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
