package dev.tokenauthority.server.rpc;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.GrantedPrivilege;
import dev.tokenauthority.api.v1.IssuedToken;
import dev.tokenauthority.core.Privilege;
import dev.tokenauthority.core.TokenClaims;
import dev.tokenauthority.core.TokenFormat;
import java.time.Instant;

/** Core values to protobuf messages. */
final class ProtoMapping {
  private ProtoMapping() {}

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static dev.tokenauthority.api.v1.TokenFormat format(TokenFormat f) {
    return switch (f) {
      case AGORA_007 -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_AGORA_007;
      case AGORA_006 -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_AGORA_006;
      case ZEGO_04 -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_ZEGO_04;
      case EASEMOB_DT -> dev.tokenauthority.api.v1.TokenFormat.TOKEN_FORMAT_EASEMOB_DYNAMIC;
    };
  }

  static IssuedToken issued(String app, String token, TokenClaims claims) {
    return IssuedToken.newBuilder()
        .setToken(token)
        .setFormat(format(claims.format()))
        .setIssuedAt(timestamp(claims.issuedAt()))
        .setExpiresAt(timestamp(claims.expiresAt()))
        .setEarliestExpiry(timestamp(claims.earliestExpiry()))
        .setApp(app)
        .build();
  }

  static GrantedPrivilege privilege(Privilege p) {
    GrantedPrivilege.Builder b = GrantedPrivilege.newBuilder()
        .setService(p.service()).setName(p.name()).setCode(p.code());
    p.expiresAt().ifPresent(i -> b.setExpiresAt(timestamp(i)));
    return b.build();
  }
}
