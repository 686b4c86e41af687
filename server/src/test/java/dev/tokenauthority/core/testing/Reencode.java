package dev.tokenauthority.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** What a token holder can do without any secret: spell the same token in other bytes. */
public final class Reencode {
  private Reencode() {}

  /** A 007 token with its content compressed again at another zlib level. */
  public static String agora007AtLevel(String token, int level) {
    try {
      Inflater inflater = new Inflater();
      inflater.setInput(Base64.getDecoder().decode(token.substring(3)));
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      while (!inflater.finished()) {
        content.write(buffer, 0, inflater.inflate(buffer));
      }
      inflater.end();
      Deflater deflater = new Deflater(level);
      deflater.setInput(content.toByteArray());
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      deflater.end();
      return "007" + Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException("not a 007 token", e);
    }
  }

  /** A dt- token whose JSON is re-serialised: keys in reverse order, spaces added, no padding. */
  public static String easemobReserialised(String token) {
    String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    try {
      ObjectNode json = (ObjectNode) new ObjectMapper().readTree(text.substring(3));
      List<String> names = new ArrayList<>();
      json.fieldNames().forEachRemaining(names::add);
      Collections.reverse(names);
      StringBuilder out = new StringBuilder("dt-{ ");
      for (int i = 0; i < names.size(); i++) {
        out.append(i == 0 ? "" : " , ").append('"').append(names.get(i)).append("\" : ")
            .append(json.get(names.get(i)).toString());
      }
      out.append(" }");
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
