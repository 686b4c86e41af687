package dev.tokenauthority.server.reflection;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.TimestampProto;
import com.google.rpc.ErrorDetailsProto;
import com.google.rpc.StatusProto;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What server reflection serves for the API: the descriptor set the proto build wrote WITH source
 * info (the generated Java classes drop the comments grpcurl's {@code describe} shows), its file
 * also importing {@code google/rpc/status.proto} and {@code google/rpc/error_details.proto}.
 * Reflection serves only files reachable from a registered service, so these two imports are
 * what lets grpcurl and buf curl decode ErrorInfo and BadRequest in error details.
 */
public final class ServedDescriptors {
  static final String RESOURCE = "/tokenauthority/v1/token_authority.protoset";
  static final String API_FILE = "tokenauthority/v1/token_authority.proto";
  private static final List<String> ERROR_FILES = List.of("google/rpc/status.proto", "google/rpc/error_details.proto");

  private ServedDescriptors() {}

  /**
   * {@code definition} (same handlers, same method descriptors) with the served file as its schema.
   * The file is built when reflection first asks for it, not here: parsing the descriptor set and
   * building descriptors loads protobuf's descriptor classes, ~0.2 s of a start, which a server
   * nobody inspects with grpcurl need not spend before SERVING.
   */
  public static ServerServiceDefinition withServedSchema(ServerServiceDefinition definition) {
    io.grpc.ServiceDescriptor old = definition.getServiceDescriptor();
    String simpleName = old.getName().substring(old.getName().lastIndexOf('.') + 1);
    io.grpc.ServiceDescriptor.Builder descriptor = io.grpc.ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(new Schema(old.getName(), simpleName));
    old.getMethods().forEach(descriptor::addMethod);
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
      out.addMethod(method);
    }
    return out.build();
  }

  /** The API file as served: comments kept, the google.rpc error files added to its imports. */
  static FileDescriptor apiFile() {
    return ApiFile.FILE;
  }

  /** Built once, by the first thread that asks; the class's initialisation makes others wait for it. */
  private static final class ApiFile {
    static final FileDescriptor FILE = build();
  }

  private static FileDescriptor build() {
    Map<String, FileDescriptor> known = Map.of(
        "google/protobuf/timestamp.proto", TimestampProto.getDescriptor(),
        "google/rpc/status.proto", StatusProto.getDescriptor(),
        "google/rpc/error_details.proto", ErrorDetailsProto.getDescriptor());
    FileDescriptorProto proto = read().getFileList().stream().filter(f -> f.getName().equals(API_FILE))
        .findFirst().orElseThrow(() -> new IllegalStateException(RESOURCE + " lacks " + API_FILE));
    FileDescriptorProto.Builder served = proto.toBuilder();
    ERROR_FILES.stream().filter(f -> !proto.getDependencyList().contains(f)).forEach(served::addDependency);
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String name : served.getDependencyList()) {
      FileDescriptor dependency = known.get(name);
      if (dependency == null) {
        throw new IllegalStateException(API_FILE + " imports " + name + ", which reflection cannot serve");
      }
      dependencies.add(dependency);
    }
    try {
      return FileDescriptor.buildFrom(served.build(), dependencies.toArray(FileDescriptor[]::new));
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(RESOURCE + " does not build: " + e.getMessage(), e);
    }
  }

  private static FileDescriptorSet read() {
    try (InputStream in = ServedDescriptors.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath (written by the proto build)");
      }
      return FileDescriptorSet.parseFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Schema(String fullName, String simpleName)
      implements ProtoFileDescriptorSupplier, ProtoServiceDescriptorSupplier {
    @Override
    public FileDescriptor getFileDescriptor() {
      return apiFile();
    }

    @Override
    public ServiceDescriptor getServiceDescriptor() {
      ServiceDescriptor service = apiFile().findServiceByName(simpleName);
      if (service == null) {
        throw new IllegalStateException(RESOURCE + " does not describe " + fullName);
      }
      return service;
    }
  }
}
