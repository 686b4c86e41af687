package dev.tokenauthority.server.rpc;

import dev.tokenauthority.api.v1.InspectTokenRequest;
import dev.tokenauthority.api.v1.InspectTokenResponse;
import dev.tokenauthority.api.v1.IssueChatTokenRequest;
import dev.tokenauthority.api.v1.IssueChatTokenResponse;
import dev.tokenauthority.api.v1.IssueRtcTokenRequest;
import dev.tokenauthority.api.v1.IssueRtcTokenResponse;
import dev.tokenauthority.api.v1.IssueRtmTokenRequest;
import dev.tokenauthority.api.v1.IssueRtmTokenResponse;
import dev.tokenauthority.api.v1.IssueZimTokenRequest;
import dev.tokenauthority.api.v1.IssueZimTokenResponse;
import dev.tokenauthority.api.v1.RenewTokenRequest;
import dev.tokenauthority.api.v1.RenewTokenResponse;
import dev.tokenauthority.api.v1.TokenAuthorityServiceGrpc;
import dev.tokenauthority.server.audit.AuditLog;
import dev.tokenauthority.server.tokens.ChatUserDirectory;
import dev.tokenauthority.server.tokens.EasemobTokenGrants;
import dev.tokenauthority.server.tokens.TokenEngine;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * tokenauthority.v1.TokenAuthorityService: one thin handler per RPC. Expects IdentityInterceptor
 * and PolicyInterceptor in front of it (see TokenAuthorityServer).
 *
 * <p>Every RPC here is {@linkplain #NON_BLOCKING_METHODS non-blocking} and runs where the call
 * arrives (the transport thread), except the IssueChatToken requests that need a vendor's REST API
 * ({@link IssueChatHandler#needsVendor}): those move to the bounded {@code vendorCalls} executor,
 * so a slow vendor holds a pool thread, never the transport.
 */
public final class TokenAuthorityServiceImpl extends TokenAuthorityServiceGrpc.TokenAuthorityServiceImplBase {
  private final UnaryCalls calls;
  private final IssueRtcHandler rtc;
  private final IssueRtmHandler rtm;
  private final IssueChatHandler chat;
  private final IssueZimHandler zim;
  private final RenewHandler renew;
  private final InspectHandler inspect;
  private final Executor vendorCalls;

  /** Full names of the methods whose handlers never block the calling thread (see the class doc). */
  public static final Set<String> NON_BLOCKING_METHODS = Set.of(
      TokenAuthorityServiceGrpc.getIssueRtcTokenMethod().getFullMethodName(),
      TokenAuthorityServiceGrpc.getIssueRtmTokenMethod().getFullMethodName(),
      TokenAuthorityServiceGrpc.getIssueChatTokenMethod().getFullMethodName(),
      TokenAuthorityServiceGrpc.getIssueZimTokenMethod().getFullMethodName(),
      TokenAuthorityServiceGrpc.getRenewTokenMethod().getFullMethodName(),
      TokenAuthorityServiceGrpc.getInspectTokenMethod().getFullMethodName());

  /** @param vendorCalls the bounded executor that runs the calls that wait for a vendor */
  public TokenAuthorityServiceImpl(TokenEngine engine, ChatUserDirectory directory, EasemobTokenGrants grants,
      AuditLog audit, Clock clock, Executor vendorCalls) {
    this.vendorCalls = vendorCalls;
    this.calls = new UnaryCalls(audit);
    this.rtc = new IssueRtcHandler(engine, clock);
    this.rtm = new IssueRtmHandler(engine, clock);
    this.chat = new IssueChatHandler(engine, directory, grants, clock);
    this.zim = new IssueZimHandler(engine, clock);
    this.renew = new RenewHandler(engine, clock);
    this.inspect = new InspectHandler(engine, clock);
  }

  @Override
  public void issueRtcToken(IssueRtcTokenRequest request, StreamObserver<IssueRtcTokenResponse> out) {
    calls.run(request, out, rtc::handle);
  }

  @Override
  public void issueRtmToken(IssueRtmTokenRequest request, StreamObserver<IssueRtmTokenResponse> out) {
    calls.run(request, out, rtm::handle);
  }

  @Override
  public void issueChatToken(IssueChatTokenRequest request, StreamObserver<IssueChatTokenResponse> out) {
    if (IssueChatHandler.needsVendor(request)) {
      calls.runOn(vendorCalls, request, out, chat::handle);
    } else {
      calls.run(request, out, chat::handle);
    }
  }

  @Override
  public void issueZimToken(IssueZimTokenRequest request, StreamObserver<IssueZimTokenResponse> out) {
    calls.run(request, out, zim::handle);
  }

  @Override
  public void renewToken(RenewTokenRequest request, StreamObserver<RenewTokenResponse> out) {
    calls.run(request, out, renew::handle);
  }

  @Override
  public void inspectToken(InspectTokenRequest request, StreamObserver<InspectTokenResponse> out) {
    calls.run(request, out, inspect::handle);
  }
}
