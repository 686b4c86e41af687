package dev.tokenauthority.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake vendor checks every request, including those it answers with a scripted reply. */
class FakeVendorContractTest {
  private FakeVendor vendor;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    vendor = new FakeVendor("org1", "app1");
  }

  @AfterEach
  void tearDown() {
    vendor.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(vendor.baseUrl().resolve(path))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void scriptedRepliesStillNeedAWellFormedRequest() throws Exception {
    vendor.script(FakeVendor.GET_USER, FakeVendor.error(503, "busy", "x"));
    vendor.script(FakeVendor.PASSWORD_GRANT, FakeVendor.error(429, "resource_limited", "x"));
    vendor.script(FakeVendor.INHERIT_GRANT, new FakeVendor.Drop());
    vendor.script(FakeVendor.REGISTER_USER, FakeVendor.json(200, "not json"));

    // GET without Authorization.
    HttpResponse<String> r1 = send(HttpRequest.newBuilder(vendor.baseUrl().resolve("/org1/app1/users/ann"))
        .header("Accept", "application/json").GET());
    // Password grant carrying an app token.
    HttpResponse<String> r2 = send(post("/org1/app1/token",
        "{\"grant_type\":\"password\",\"username\":\"ann\",\"password\":\"secret-pw\",\"ttl\":60}")
        .header("Authorization", "Bearer YWMt-made-up"));
    // Inherit grant with a Bearer token the vendor never issued.
    HttpResponse<String> r3 = send(post("/org1/app1/token",
        "{\"grant_type\":\"inherit\",\"username\":\"ann\",\"autoCreateUser\":false,\"ttl\":60}")
        .header("Authorization", "Bearer YWMt-made-up"));
    // Registration with a weak password and a non-canonical name.
    HttpResponse<String> r4 = send(post("/org1/app1/users", "[{\"username\":\"Ann\",\"password\":\"123\"}]")
        .header("Authorization", "Bearer chat-app-token-1"));

    for (HttpResponse<String> r : List.of(r1, r2, r3, r4)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("fake_contract_violation");
    }
    assertThat(vendor.violations()).hasSize(4);
    // The scripts wait for a well-formed request.
    HttpResponse<String> ok = send(HttpRequest.newBuilder(vendor.baseUrl().resolve("/org1/app1/users/ann"))
        .header("Accept", "application/json").header("Authorization", "Bearer chat-app-token-1").GET());
    assertThat(ok.statusCode()).isEqualTo(503);
  }
}
