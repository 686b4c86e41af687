package dev.tokenauthority.server.tokens;

/** What a legacy "006" token is bound to (it carries only CRCs): channel and uid text. */
public record LegacyBinding(String channelName, String uid) {}
