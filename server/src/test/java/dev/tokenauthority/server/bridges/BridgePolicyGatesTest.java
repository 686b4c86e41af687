package dev.tokenauthority.server.bridges;

import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.core.Secret;
import dev.tokenauthority.core.easemobdt.DynamicToken;
import static dev.tokenauthority.server.bridges.BridgedServer.assertError;
import static dev.tokenauthority.server.bridges.BridgedServer.byName;
import static dev.tokenauthority.server.bridges.BridgedServer.easemobUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauthority.api.v1.EasemobGrant;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.TokenFormat;
import dev.tokenauthority.bridge.FakeVendor;
import dev.tokenauthority.server.testing.LogCapture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Caller policy in front of the vendor bridges, over the real gRPC server with the bridges wired to
 * the fake vendors: what policy refuses never reaches a vendor, and the user pattern judges the
 * name the vendor will see (folded to lower case), not the name as sent.
 */
@ExtendWith(LogCapture.class)
class BridgePolicyGatesTest {
  /** Everyone but admin; registration allowed. */
  private static final String NOT_ADMIN = BridgedServer.OPEN_POLICY + "    user_pattern: \"(?!admin).*\"\n";
  /** Everything but registration (may_register_users defaults to false). */
  private static final String NO_REGISTRATION = """
      callers:
        - identity: local
          apps: ["*"]
          rpcs: ["*"]
          max_lifetime_seconds: 7200
      """;
  private static final String ADMIN_PASSWORD = "admin-password-e2e";

  private BridgedServer bs;

  @AfterEach
  void tearDown() throws Exception {
    if (bs != null) {
      bs.close();
    }
  }

  private StatusRuntimeException refused(IssueChatTokenRequest req) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> bs.stub().issueChatToken(req));
    assertThat(e).as("the call was refused").isNotNull();
    return e;
  }

  private void withAdminEverywhere(String policy) throws Exception {
    LogCapture.registerSecret(ADMIN_PASSWORD);
    bs = new BridgedServer(policy);
    bs.chat.users.put("admin", new FakeVendor.User("uuid-admin", ADMIN_PASSWORD, true));
    bs.easemob.users.put("admin", new FakeVendor.User("uuid-em-admin", ADMIN_PASSWORD, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ADMIN", "Admin", "aDmIn"})
  void chatUserNameInAnotherCaseDoesNotDodgeTheUserPattern(String name) throws Exception {
    withAdminEverywhere(NOT_ADMIN);

    assertError(refused(byName("chat", name, false)), Status.Code.PERMISSION_DENIED, "USER_NOT_ALLOWED",
        "agora_user.user_name");
    assertError(refused(byName("chat", name, true)), Status.Code.PERMISSION_DENIED, "USER_NOT_ALLOWED",
        "agora_user.user_name");
    assertThat(bs.vendorCalls()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ADMIN", "Admin"})
  void easemobRestGrantsInAnotherCaseDoNotDodgeTheUserPattern(String name) throws Exception {
    withAdminEverywhere(NOT_ADMIN);

    assertError(refused(easemobUser(name, EasemobGrant.EASEMOB_GRANT_PASSWORD, ADMIN_PASSWORD, false)),
        Status.Code.PERMISSION_DENIED, "USER_NOT_ALLOWED", "easemob_user.user_id");
    assertError(refused(easemobUser(name, EasemobGrant.EASEMOB_GRANT_INHERIT, "", false)),
        Status.Code.PERMISSION_DENIED, "USER_NOT_ALLOWED", "easemob_user.user_id");
    assertError(refused(easemobUser(name, EasemobGrant.EASEMOB_GRANT_INHERIT, "", true)),
        Status.Code.PERMISSION_DENIED, "USER_NOT_ALLOWED", "easemob_user.user_id");
    assertThat(bs.vendorCalls()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ADMIN", "Admin"})
  void aDynamicTokenInAnotherCaseDoesNotDodgeTheUserPatternNorDoesItsRenewal(String name) throws Exception {
    withAdminEverywhere(NOT_ADMIN);

    // The dt- token carries the id as sent, but Easemob folds it at login: it would be admin's.
    assertError(refused(easemobUser(name, EasemobGrant.EASEMOB_GRANT_DYNAMIC, "", false)),
        Status.Code.PERMISSION_DENIED, "USER_NOT_ALLOWED", "easemob_user.user_id");

    // Minted elsewhere with the app's credentials (e.g. an old App Server): renewal is refused too.
    String elsewhere = DynamicToken.builder().appKey("emorg#emapp").clientId("em-client")
        .clientSecret(Secret.of(BridgedServer.CLIENT_SECRET)).userId(name).ttlSeconds(600).build().token();
    StatusRuntimeException renewal = catchThrowableOfType(StatusRuntimeException.class,
        () -> bs.stub().renewToken(RenewTokenRequest.newBuilder().setToken(elsewhere).build()));
    assertError(renewal, Status.Code.PERMISSION_DENIED, "USER_NOT_ALLOWED", "token");
    assertThat(bs.vendorCalls()).isZero();
  }

  @Test
  void theSamePolicyLetsOtherUsersThroughInAnyCase() throws Exception {
    withAdminEverywhere(NOT_ADMIN);
    bs.chat.users.put("alice", new FakeVendor.User("uuid-alice", "alice-password-e2e", true));

    IssueChatTokenResponse r = bs.stub().issueChatToken(byName("chat", "ALICE", false));

    assertThat(r.getUserUuid()).isEqualTo("uuid-alice");
    assertThat(bs.chat.calls(FakeVendor.GET_USER)).singleElement()
        .satisfies(c -> assertThat(c.path()).isEqualTo("/org1/chatapp/users/alice"));
  }

  @Test
  void chatRegistrationWithoutMayRegisterUsersMakesNoVendorCall() throws Exception {
    bs = new BridgedServer(NO_REGISTRATION);

    assertError(refused(byName("chat", "newcomer", true)), Status.Code.PERMISSION_DENIED,
        "REGISTRATION_NOT_ALLOWED", "agora_user.register_if_missing");
    assertThat(bs.vendorCalls()).isZero();
    assertThat(bs.chat.users).isEmpty();
  }

  @Test
  void easemobAutoCreateWithoutMayRegisterUsersMakesNoVendorCall() throws Exception {
    bs = new BridgedServer(NO_REGISTRATION);

    assertError(refused(easemobUser("newcomer", EasemobGrant.EASEMOB_GRANT_INHERIT, "", true)),
        Status.Code.PERMISSION_DENIED, "REGISTRATION_NOT_ALLOWED", "easemob_user.auto_create_user");
    assertThat(bs.vendorCalls()).isZero();
    assertThat(bs.easemob.users).isEmpty();
  }

  @Test
  void defaultEasemobGrantStaysLocalWithTheBridgeWired() throws Exception {
    bs = new BridgedServer(BridgedServer.OPEN_POLICY);

    for (EasemobGrant grant : new EasemobGrant[] {
        EasemobGrant.EASEMOB_GRANT_UNSPECIFIED, EasemobGrant.EASEMOB_GRANT_DYNAMIC}) {
      IssueChatTokenResponse r = bs.stub().issueChatToken(easemobUser("dora", grant, "", false));
      assertThat(r.getIssuedToken().getFormat()).isEqualTo(TokenFormat.TOKEN_FORMAT_EASEMOB_DYNAMIC);
      assertThat(new String(Base64.getUrlDecoder().decode(r.getIssuedToken().getToken()), StandardCharsets.UTF_8))
          .startsWith("dt-");
    }
    assertThat(bs.vendorCalls()).isZero();
  }
}
