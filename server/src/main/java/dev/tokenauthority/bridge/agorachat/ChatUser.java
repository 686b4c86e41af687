package dev.tokenauthority.bridge.agorachat;

/**
 * An Agora Chat user as the REST API knows it.
 *
 * @param userName the canonical (lower-case) user name
 * @param uuid the UUID to put in the chat user token
 * @param registered true when this call (or the concurrent call it joined) created the user
 */
public record ChatUser(String userName, String uuid, boolean registered) {}
