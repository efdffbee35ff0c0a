package io.ferry;

import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependency;
import static com.tngtech.archunit.core.domain.Dependency.Predicates.dependencyTarget;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Which package may use which: the kernel at the bottom, nothing importing upward. */
class ArchitectureTest {

    private static final JavaClasses FERRY = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ferry");

    @Test
    void kernelImportsNothingOfFerry() {
        noClasses().that().resideInAPackage("io.ferry.kernel..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry")
            .orShould().dependOnClassesThat().resideOutsideOfPackages("io.ferry.kernel..", "java..", "org.apache.camel..",
                    "com.fasterxml.jackson..", "org.slf4j..")
            .as("the kernel imports nothing of Ferry above it").check(FERRY);
    }

    @Test
    void httpAndStateDoNotImportThePipeline() {
        noClasses()
            .that().resideInAnyPackage("io.ferry.http..", "io.ferry.state..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry.pipeline..", "io.ferry.connector..",
                    "io.ferry.observe..", "io.ferry.cli..", "io.ferry.sandbox..", "io.ferry.deadletter..", "io.ferry.config..",
                    "io.ferry.reconcile..", "io.ferry.cluster..").check(FERRY);
    }

    @Test
    void connectorsDoNotImportThePipeline() {
        noClasses().that().resideInAPackage("io.ferry.connector..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry.pipeline..", "io.ferry.observe..", "io.ferry.cli..",
                    "io.ferry.sandbox..", "io.ferry.deadletter..", "io.ferry.reconcile..").check(FERRY);
    }

    /** Leadership sits below what shows it (observe, the command line) and beside the routes it schedules (config). */
    @Test
    void clusteringDoesNotImportWhatShowsIt() {
        noClasses().that().resideInAPackage("io.ferry.cluster..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry.observe..", "io.ferry.cli..", "io.ferry.config..",
                    "io.ferry.connector..", "io.ferry.sandbox..").check(FERRY);
    }

    @Test
    void onlyTheCommandLineUsesIt() {
        noClasses().that().resideOutsideOfPackages("io.ferry.cli..", "io.ferry")
            .should().dependOnClassesThat().resideInAPackage("io.ferry.cli..").check(FERRY);
    }

    /** A reconcile reads through the pipeline's source reader and the state; nothing a run is made of depends on it. */
    @Test
    void thePipelineDoesNotImportTheReconcile() {
        noClasses().that().resideInAnyPackage("io.ferry.pipeline..", "io.ferry.config..", "io.ferry.mapping..")
            .should().dependOnClassesThat().resideInAPackage("io.ferry.reconcile..").check(FERRY);
    }

    /** The REST API is the top of the web stack: wired by Ferry's configuration, imported by nothing else. */
    @Test
    void nothingBelowImportsTheApi() {
        noClasses().that().resideOutsideOfPackages("io.ferry.api..", "io.ferry")
            .should().dependOnClassesThat().resideInAPackage("io.ferry.api..").check(FERRY);
    }

    /**
     * The console is pages over the API: its router knows the login and where it is mounted, not the state, the runs
     * or the API's code; nothing but Ferry's configuration imports it.
     */
    @Test
    void theConsoleIsAClientOfTheApi() {
        noClasses().that().resideInAPackage("io.ferry.console..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry.api..", "io.ferry.state..", "io.ferry.pipeline..",
                    "io.ferry.operate..", "io.ferry.connector..").check(FERRY);
        noClasses().that().resideOutsideOfPackages("io.ferry.console..", "io.ferry")
            .should().dependOnClassesThat().resideInAPackage("io.ferry.console..").check(FERRY);
    }

    /** Users, roles and the services behind the API serve the console as well: they import neither. */
    @Test
    void authAndOperationsDoNotImportTheWebLayers() {
        noClasses().that().resideInAnyPackage("io.ferry.auth..", "io.ferry.operate..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry.api..", "io.ferry.cli..", "io.ferry.console..").check(FERRY);
        noClasses().that().resideInAnyPackage("io.ferry.auth..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry.observe..", "io.ferry.pipeline..", "io.ferry.state..",
                    "io.ferry.operate..").check(FERRY);
    }

    @Test
    void mappingIsALibrary() {
        noClasses().that().resideInAPackage("io.ferry.mapping..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ferry.pipeline..", "io.ferry.connector..", "io.ferry.state..",
                    "io.ferry.observe..", "io.ferry.cli..", "io.ferry.sandbox..").check(FERRY);
    }

    /**
     * A simulator that shares the client's signing or rate limiting agrees with the client's mistakes: every
     * end-to-end test would pass against a wrong signature. The sandbox is also not Ferry's to start (the command
     * line does that), so nothing in it needs Ferry.
     */
    @Test
    void theSimulatorsShareNoCodeWithFerry() {
        classes().that().resideInAPackage("io.ferry.sandbox..")
            .should(onlyHaveDependenciesWhere(dependencyTarget(resideOutsideOfPackage("io.ferry..")
                    .or(resideInAPackage("io.ferry.sandbox..")))))
            .as("the simulators depend on nothing of Ferry outside io.ferry.sandbox")
            .because("a simulator must check the product, not reuse it").check(FERRY);
    }
}
