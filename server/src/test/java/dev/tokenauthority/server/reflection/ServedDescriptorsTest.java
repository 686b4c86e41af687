package dev.tokenauthority.server.reflection;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import dev.tokenauthority.api.v1.TokenAuthorityProto;
import dev.tokenauthority.server.config.DevelopmentConfig;
import dev.tokenauthority.server.testing.Reflection;
import dev.tokenauthority.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reflection serves what generic tools need: google/rpc/status.proto and error_details.proto (so
 * grpcurl and buf decode ErrorInfo and BadRequest) and the API file with its comments. Over a
 * real socket against the development default.
 */
class ServedDescriptorsTest {
  static TestServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(DevelopmentConfig.create(new SecureRandom()), Clock.systemUTC());
    channel = server.plaintextChannel();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static List<FileDescriptorProto> filesFor(String symbol) throws Exception {
    ServerReflectionResponse r =
        Reflection.ask(channel, ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build());
    assertThat(r.hasErrorResponse()).as(symbol + ": " + r.getErrorResponse().getErrorMessage()).isFalse();
    List<FileDescriptorProto> files = new ArrayList<>();
    for (var bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      files.add(FileDescriptorProto.parseFrom(bytes));
    }
    return files;
  }

  @Test
  void theErrorDetailTypesAreServed() throws Exception {
    assertThat(filesFor("google.rpc.ErrorInfo")).extracting(FileDescriptorProto::getName)
        .first().isEqualTo("google/rpc/error_details.proto");
    assertThat(filesFor("google.rpc.BadRequest").get(0).getName()).isEqualTo("google/rpc/error_details.proto");
    assertThat(filesFor("google.rpc.Status").get(0).getName()).isEqualTo("google/rpc/status.proto");
  }

  @Test
  void theApiFileKeepsItsComments() throws Exception {
    FileDescriptorProto api = filesFor("tokenauthority.v1.TokenAuthorityService").get(0);
    assertThat(api.getName()).isEqualTo("tokenauthority/v1/token_authority.proto");
    assertThat(api.getDependencyList()).contains("google/protobuf/timestamp.proto",
        "google/rpc/status.proto", "google/rpc/error_details.proto");
    assertThat(api.getSourceCodeInfo().getLocationList()).extracting(SourceCodeInfo.Location::getLeadingComments)
        .anyMatch(c -> c.contains("InspectToken decodes a token"))
        .anyMatch(c -> c.contains("IntendedUse describes how a client is about to use a token"));
  }

  @Test
  void theServedFileDescribesTheSameApiAsTheGeneratedClasses() {
    var generated = TokenAuthorityProto.getDescriptor().toProto();
    var served = ServedDescriptors.apiFile().toProto();
    // The generated classes embed their descriptor without json_name and without source info.
    assertThat(shape(served.getMessageTypeList())).isEqualTo(shape(generated.getMessageTypeList()));
    assertThat(shape(served.getEnumTypeList())).isEqualTo(shape(generated.getEnumTypeList()));
    assertThat(shape(served.getServiceList())).isEqualTo(shape(generated.getServiceList()));
  }

  private static String shape(List<? extends com.google.protobuf.Message> parts) {
    return parts.toString().replaceAll("\\s*json_name: \"[^\"]*\"", "");
  }
}
