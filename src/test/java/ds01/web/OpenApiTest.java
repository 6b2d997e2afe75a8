package ds01.web;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

/** The JSON API is described at /q/openapi for signed-in users: the container and GPU operations with their words. */
@QuarkusTest
class OpenApiTest {

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void theContainerAndGpuOperationsAreDocumented() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/containers'.post.summary", containsString("Deploy a container"))
                .body("paths.'/api/containers/{id}'.delete.summary", containsString("the workspace stays"))
                .body("paths.'/api/containers/{id}/start'.post", notNullValue())
                .body("paths.'/api/gpu/quota'.get", notNullValue())
                .body("paths.'/api/gpu/queue/{id}'.delete", notNullValue())
                .body("tags.name", org.hamcrest.Matchers.hasItems("Containers", "GPUs"));
    }

    @Test
    void anonymousCallersAreAskedToSignIn() {
        given().accept("application/json").redirects().follow(false).get("/q/openapi").then()
                .statusCode(org.hamcrest.Matchers.oneOf(302, 401));
    }
}
