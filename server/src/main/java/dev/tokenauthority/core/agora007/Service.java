package dev.tokenauthority.core.agora007;

import dev.tokenauthority.core.agora.LittleEndianWriter;
import java.util.SortedMap;

/**
 * One service inside an AccessToken2: its type, its privileges (key → lifetime in seconds relative
 * to the issue time, 0 = no limit of its own) and its type-specific fields.
 */
public sealed interface Service
    permits RtcService, RtmService, ChatService, StreamingService, FpaService, FcdnService,
        ApaasService {

  /** The wire type (1 RTC, 2 RTM, 3 streaming, 4 FPA, 5 chat, 6 FCDN, 7 APaaS). */
  int type();

  /** The format-neutral service name used in {@link dev.tokenauthority.core.Privilege}. */
  String serviceName();

  /** Privilege key → relative lifetime in seconds, ascending by key. */
  SortedMap<Integer, Long> privileges();

  /** A readable name for a privilege key of this service. */
  String privilegeName(int key);

  /** Appends the fields that follow the privilege map on the wire. */
  void writeFields(LittleEndianWriter out);
}
