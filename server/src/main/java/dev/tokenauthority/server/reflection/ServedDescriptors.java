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
  private static final Map<String, FileDescriptor> KNOWN = Map.of(
      "google/protobuf/timestamp.proto", TimestampProto.getDescriptor(),
      "google/rpc/status.proto", StatusProto.getDescriptor(),
      "google/rpc/error_details.proto", ErrorDetailsProto.getDescriptor());
  private static final List<String> ERROR_FILES = List.of("google/rpc/status.proto", "google/rpc/error_details.proto");

  private static volatile FileDescriptor apiFile;

  private ServedDescriptors() {}

  /** {@code definition} (same handlers, same method descriptors) with the served file as its schema. */
  public static ServerServiceDefinition withServedSchema(ServerServiceDefinition definition) {
    io.grpc.ServiceDescriptor old = definition.getServiceDescriptor();
    String simpleName = old.getName().substring(old.getName().lastIndexOf('.') + 1);
    ServiceDescriptor service = apiFile().findServiceByName(simpleName);
    if (service == null) {
      throw new IllegalStateException(RESOURCE + " does not describe " + old.getName());
    }
    io.grpc.ServiceDescriptor.Builder descriptor = io.grpc.ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(new Schema(service));
    old.getMethods().forEach(descriptor::addMethod);
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    for (ServerMethodDefinition<?, ?> method : definition.getMethods()) {
      out.addMethod(method);
    }
    return out.build();
  }

  /** The API file as served: comments kept, the google.rpc error files added to its imports. */
  static FileDescriptor apiFile() {
    FileDescriptor file = apiFile;
    if (file == null) {
      file = build();
      apiFile = file;
    }
    return file;
  }

  private static FileDescriptor build() {
    FileDescriptorProto proto = read().getFileList().stream().filter(f -> f.getName().equals(API_FILE))
        .findFirst().orElseThrow(() -> new IllegalStateException(RESOURCE + " lacks " + API_FILE));
    FileDescriptorProto.Builder served = proto.toBuilder();
    ERROR_FILES.stream().filter(f -> !proto.getDependencyList().contains(f)).forEach(served::addDependency);
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String name : served.getDependencyList()) {
      FileDescriptor dependency = KNOWN.get(name);
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

  private record Schema(ServiceDescriptor service) implements ProtoFileDescriptorSupplier, ProtoServiceDescriptorSupplier {
    @Override
    public FileDescriptor getFileDescriptor() {
      return service.getFile();
    }

    @Override
    public ServiceDescriptor getServiceDescriptor() {
      return service;
    }
  }
}
