package ds01.images;

import ds01.testing.FormPost;
import ds01.testing.TestCatalogue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admins' base images page: a site image approved there is offered in step 1 and may be deployed; bad
 * references are refused; withdrawal takes it out again; every change is audited; users cannot open it.
 */
@QuarkusTest
@TestProfile(TestCatalogue.class)
class SiteImagesTest {

    static final String IMAGE = "registry.lab.example/cuda-python:12.6";

    @Inject
    EntityManager em;

    @AfterEach
    @Transactional
    void forget() {
        em.createNativeQuery("delete from site_base_image").executeUpdate();
    }

    private static ExtractableResponse<Response> post(String action, Map<String, String> fields) {
        return FormPost.from("/admin/images", action, fields);
    }

    private int added() {
        return ((Number) em.createNativeQuery("select count(*) from audit_event where action = 'image.site-base-add' "
                + "and target = ?1").setParameter(1, IMAGE).getSingleResult()).intValue();
    }

    private static String flash(ExtractableResponse<Response> response) {
        return URLDecoder.decode(response.cookie("ds01-flash"), StandardCharsets.UTF_8);
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void anApprovedSiteImageIsOfferedInStepOneUntilWithdrawn() {
        String page = given().accept("text/html").get("/admin/images").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"no-site-images\"", "<code id=\"architecture\">CUDA_ADA</code>",
                "ds01-test/pybase:latest", "src/test/resources/ml_images-test.repo");

        int audited = added();
        ExtractableResponse<Response> added = post("/admin/images", Map.of("framework", "Lab CUDA", "version", "12.6",
                "image", IMAGE, "note", "CUDA 12.6, Python 3.11, the lab's data tools"));
        assertThat(added.statusCode()).isEqualTo(303);
        assertThat(flash(added)).contains("offered in step 1", "The engine does not have it yet");
        assertThat(flash(post("/admin/images", Map.of("framework", "Lab CUDA", "version", "12.6", "image", IMAGE,
                "note", "again")))).contains("approved already");

        assertThat(given().accept("text/html").get("/images/new").then().statusCode(200).extract().asString())
                .contains("<optgroup label=\"Site base images (approved by the admins)\">", "value=\"lab-cuda-12.6-site\"",
                        "Lab CUDA 12.6: CUDA 12.6, Python 3.11, the lab&#39;s data tools");
        given().get("/api/images/catalogue").then().statusCode(200)
                .body("find { it.image == '" + IMAGE + "' }.note", org.hamcrest.Matchers.equalTo(
                        "CUDA 12.6, Python 3.11, the lab's data tools"));
        assertThat(added()).as("one approval, one audit event").isEqualTo(audited + 1);

        long id = ((Number) em.createNativeQuery("select id from site_base_image where image = ?1").setParameter(1, IMAGE)
                .getSingleResult()).longValue();
        ExtractableResponse<Response> removed = post("/admin/images/" + id + "/remove", Map.of());
        assertThat(flash(removed)).contains("no longer offered");
        assertThat(given().accept("text/html").get("/images/new").then().extract().asString()).doesNotContain(IMAGE);
        assertThat(post("/admin/images/" + id + "/remove", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    @TestSecurity(user = "ds01admin", roles = {"user", "admin"})
    void aBadReferenceOrAMissingDescriptionChangesNothing() {
        for (Map<String, String> bad : java.util.List.of(
                Map.of("framework", "Lab", "version", "1", "image", "Evil Image\nRUN id", "note", "x"),
                Map.of("framework", "Lab", "version", "1", "image", "alpine;id", "note", "x"),
                Map.of("framework", "Lab\nRUN id", "version", "1", "image", "alpine:3", "note", "x"),
                Map.of("framework", "Lab", "version", "1 2", "image", "alpine:3", "note", "x"),
                Map.of("framework", "Lab", "version", "1", "image", "alpine:3", "note", ""))) {
            ExtractableResponse<Response> refused = post("/admin/images", bad);
            assertThat(refused.statusCode()).as(bad.toString()).isEqualTo(400);
            assertThat(refused.asString()).containsAnyOf("Not a base image", "Say in one line");
        }
        assertThat(((Number) em.createNativeQuery("select count(*) from site_base_image").getSingleResult()).intValue())
                .isZero();
    }

    @Test
    @TestSecurity(user = "ds01alice", roles = "user")
    void usersCannotOpenOrChangeIt() {
        given().accept("text/html").get("/admin/images").then().statusCode(403);
        ExtractableResponse<Response> page = given().accept("text/html").get("/images/new").then().extract();
        String token = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        given().accept("text/html").cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", token)
                .formParams(Map.of("framework", "Mine", "version", "1", "image", "alpine:3", "note", "mine"))
                .post("/admin/images").then().statusCode(403);
    }
}
