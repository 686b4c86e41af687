/**
 * The high-level entry point the gRPC server and the CLI call: {@link
 * dev.tokenauthority.core.agora.issue.AgoraTokenIssuer} with typed, validated requests ({@link
 * dev.tokenauthority.core.agora.issue.RtcTokenRequest}, {@link
 * dev.tokenauthority.core.agora.issue.RtmTokenRequest}, {@link
 * dev.tokenauthority.core.agora.issue.ChatTokenRequest}). It applies the vendor conventions
 * (roles, default privilege lifetimes, "006" absolute times) on top of the wire-level builders.
 */
package dev.tokenauthority.core.agora.issue;
