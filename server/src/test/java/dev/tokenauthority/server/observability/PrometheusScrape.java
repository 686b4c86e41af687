package dev.tokenauthority.server.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of /metrics over HTTP, parsed into series (name, labels, value). */
record PrometheusScrape(String text, List<Series> series) {
  record Series(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static PrometheusScrape of(URI uri) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + uri + " answered " + r.statusCode());
    }
    return parse(r.body());
  }

  static PrometheusScrape parse(String text) {
    List<Series> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Series(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new PrometheusScrape(text, out);
  }

  /** The sum over the series of {@code name} whose labels include all of {@code match}. */
  double sum(String name, Map<String, String> match) {
    return series.stream().filter(s -> s.name().equals(name))
        .filter(s -> match.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
        .mapToDouble(Series::value).sum();
  }

  List<String> names() {
    return series.stream().map(Series::name).distinct().sorted().toList();
  }
}
