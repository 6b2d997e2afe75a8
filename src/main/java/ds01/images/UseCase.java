package ds01.images;

import java.util.List;

/**
 * Step 4 of the image form: DS01's use-case presets, each a set of pip packages ({@code custom}: none, the user
 * lists their own). Steps 2 and 3 have their default sets here too.
 */
public enum UseCase {
    ML("Classic machine learning", "xgboost", "lightgbm", "catboost", "optuna", "shap"),
    CV("Computer vision", "timm", "albumentations", "opencv-python-headless", "kornia", "ultralytics"),
    NLP("Natural language", "transformers", "datasets", "tokenizers", "accelerate", "sentencepiece", "peft",
            "safetensors", "evaluate"),
    RL("Reinforcement learning", "gymnasium", "stable-baselines3"),
    AUDIO("Audio", "librosa", "soundfile", "audiomentations"),
    TS("Time series", "statsmodels", "prophet", "darts"),
    LLM("Large language models", "vllm", "bitsandbytes", "langchain", "einops"),
    CUSTOM("Custom: only the packages you list");

    /** Step 2's default: what Jupyter needs. */
    public static final List<String> JUPYTER = List.of("jupyterlab", "ipykernel", "ipywidgets", "notebook");
    /** Step 3's default: the data science basics. */
    public static final List<String> DATA_SCIENCE = List.of("pandas", "scipy", "scikit-learn", "matplotlib", "seaborn");

    private final String title;
    private final List<String> packages;

    UseCase(String title, String... packages) {
        this.title = title;
        this.packages = List.of(packages);
    }

    public String title() {
        return title;
    }

    public List<String> packages() {
        return packages;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
