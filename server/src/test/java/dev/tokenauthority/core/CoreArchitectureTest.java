package dev.tokenauthority.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The token core must stay usable without gRPC: no imports of gRPC, protobuf or the server layers. */
@AnalyzeClasses(packages = "dev.tokenauthority", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
  @ArchTest
  static final ArchRule coreKnowsNothingOfGrpc =
      noClasses()
          .that()
          .resideInAPackage("dev.tokenauthority.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.grpc..", "com.google.protobuf..", "com.google.rpc..", "dev.tokenauthority.api..",
              "dev.tokenauthority.server..", "dev.tokenauthority.cli..", "picocli..");

  @ArchTest
  static final ArchRule bridgesKnowNothingOfGrpc =
      noClasses()
          .that()
          .resideInAPackage("dev.tokenauthority.bridge..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.grpc..", "com.google.protobuf..", "com.google.rpc..", "dev.tokenauthority.api..",
              "dev.tokenauthority.server..", "dev.tokenauthority.cli..", "picocli..");
}
