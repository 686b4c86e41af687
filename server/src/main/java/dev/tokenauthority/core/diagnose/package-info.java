/**
 * Explains, before the vendor does, why a token would be refused for an intended use: the user,
 * channel, room, service and privilege a client is about to exercise at a given moment. Plain
 * core logic over parsed claims; it knows nothing of gRPC or the CLI, which map their input to
 * {@link dev.tokenauthority.core.diagnose.IntendedUse} and print the {@link
 * dev.tokenauthority.core.diagnose.Finding}s.
 */
package dev.tokenauthority.core.diagnose;
