package dev.tokenauthority.cli;

import dev.tokenauthority.core.zego04.Token04Builder;
import dev.tokenauthority.core.zego04.ZegoRoomPrivileges;
import dev.tokenauthority.core.zego04.ZegoToken04;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** ZEGO Token04: a plain ZIM login token, or with --room-id an RTC room privilege payload. */
@Command(name = "zego", description = "Mint a ZEGO Token04.", mixinStandardHelpOptions = true)
final class MintZegoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--app-id", required = true, paramLabel = "ID", description = "ZEGO app id, 1-4294967295.") long appId;
  @Option(names = "--secret-env", required = true, paramLabel = "VAR",
      description = "Environment variable holding the 32-character server secret.") String secretEnv;
  @Option(names = "--user-id", required = true, paramLabel = "USER", description = "The ZEGO user id.") String userId;
  @Option(names = "--expire", required = true, paramLabel = "SECONDS", description = "Token lifetime.") long expire;
  @Option(names = "--room-id", paramLabel = "ROOM", description = "Add an RTC room payload for this room.") String roomId;
  @Option(names = "--login", paramLabel = "0|1", description = "Room privilege 1 (with --room-id).") Integer login;
  @Option(names = "--publish", paramLabel = "0|1", description = "Room privilege 2 (with --room-id).") Integer publish;
  @Option(names = "--stream-id", paramLabel = "ID", description = "Stream id the user may publish; repeatable.")
  List<String> streamIds = new ArrayList<>();
  @Option(names = "--issued-at", paramLabel = "UNIX", description = "Fixed ctime (default: now).") Long issuedAt;
  @Option(names = "--nonce", paramLabel = "N", description = "Fixed nonce (default: random).") Integer nonce;
  @Option(names = "--iv", paramLabel = "16CHARS", description = "Fixed iv (default: random).") String iv;

  @Override
  public Integer call() {
    Token04Builder b = ZegoToken04.builder().appId(appId).userId(userId).lifetimeSeconds(expire);
    if (roomId != null) {
      b.room(new ZegoRoomPrivileges(roomId, flag("login", login), flag("publish", publish), streamIds));
    } else if (login != null || publish != null || !streamIds.isEmpty()) {
      throw new ExitCodes.UsageException("room-id: --login, --publish and --stream-id need --room-id");
    }
    if (issuedAt != null) {
      b.issuedAt(issuedAt);
    }
    if (nonce != null) {
      b.nonce(nonce);
    }
    if (iv != null) {
      b.iv(iv);
    }
    // Read the secret last: every other mistake is reported without touching it.
    b.serverSecret(EnvSecrets.system().read("secret-env", secretEnv));
    spec.commandLine().getOut().println(b.build().token());
    return Main.EXIT_OK;
  }

  private static boolean flag(String name, Integer value) {
    if (value == null) {
      throw new ExitCodes.UsageException(name + ": required with --room-id (0 or 1)");
    }
    if (value != 0 && value != 1) {
      throw new ExitCodes.UsageException(name + ": must be 0 or 1");
    }
    return value == 1;
  }
}
