package io.cxml.runtime.text.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The architecture of a BERT-family encoder, from a Hugging Face {@code config.json} (plus the sentence-transformers
 * pooling settings when the folder has them). BERT, MiniLM ({@code model_type: bert}) and XLM-RoBERTa / RoBERTa
 * ({@code xlm-roberta}, {@code roberta}: position ids start at {@code pad_token_id + 1}) are supported; anything else
 * fails, naming the unsupported setting.
 *
 * @param modelType {@code bert}, {@code xlm-roberta} or {@code roberta}
 * @param vocabSize token embedding rows
 * @param hidden hidden size
 * @param layers transformer layers
 * @param heads attention heads
 * @param intermediate feed-forward size
 * @param maxPositions position embedding rows
 * @param typeVocabSize token type embedding rows
 * @param layerNormEps layer-norm epsilon
 * @param padTokenId padding token id (XLM-R position offset)
 * @param hiddenDropout dropout on hidden states during training
 * @param attentionDropout dropout on attention probabilities during training
 * @param pooling {@code mean} or {@code cls}
 * @param normalize whether sentence embeddings are L2-normalized (sentence-transformers {@code Normalize} module)
 */
public record TransformerConfig(String modelType, int vocabSize, int hidden, int layers, int heads, int intermediate,
        int maxPositions, int typeVocabSize, float layerNormEps, int padTokenId, float hiddenDropout,
        float attentionDropout, String pooling, boolean normalize) {
    /** Supported {@code model_type} values. */
    public static final List<String> MODEL_TYPES = List.of("bert", "xlm-roberta", "roberta");

    /** Validates the architecture. */
    public TransformerConfig {
        if (!MODEL_TYPES.contains(modelType)) {
            throw new IllegalArgumentException("Cannot load a pretrained encoder of model_type '" + modelType
                    + "': supported are " + MODEL_TYPES + " (BERT, MiniLM, XLM-RoBERTa)");
        }
        if (hidden <= 0 || heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException("Cannot load a pretrained encoder with hidden_size " + hidden
                    + " and num_attention_heads " + heads + ": the hidden size must be a multiple of the heads");
        }
        if (!"mean".equals(pooling) && !"cls".equals(pooling)) {
            throw new IllegalArgumentException("Cannot pool with '" + pooling + "': supported are mean and cls");
        }
    }

    /**
     * @param config {@code config.json}
     * @param poolingConfig {@code 1_Pooling/config.json}, or null (mean pooling)
     * @param normalize whether {@code modules.json} lists a Normalize module
     * @return the architecture
     */
    public static TransformerConfig of(JsonNode config, JsonNode poolingConfig, boolean normalize) {
        String type = config.path("model_type").asText("").toLowerCase(Locale.ROOT);
        String act = config.path("hidden_act").asText("gelu");
        if (!"gelu".equals(act)) {
            throw new IllegalArgumentException("Cannot load a pretrained encoder with hidden_act '" + act
                    + "': only gelu (erf) is supported");
        }
        String positions = config.path("position_embedding_type").asText("absolute");
        if (!"absolute".equals(positions)) {
            throw new IllegalArgumentException("Cannot load a pretrained encoder with position_embedding_type '"
                    + positions + "': only absolute is supported");
        }
        String pooling = "mean";
        if (poolingConfig != null && poolingConfig.path("pooling_mode_cls_token").asBoolean(false)) {
            pooling = "cls";
        } else if (poolingConfig != null && !poolingConfig.path("pooling_mode_mean_tokens").asBoolean(true)) {
            throw new IllegalArgumentException("Cannot use the folder's pooling " + poolingConfig
                    + ": supported are pooling_mode_mean_tokens and pooling_mode_cls_token");
        }
        return new TransformerConfig(type, required(config, "vocab_size"), required(config, "hidden_size"),
                required(config, "num_hidden_layers"), required(config, "num_attention_heads"),
                required(config, "intermediate_size"), required(config, "max_position_embeddings"),
                config.path("type_vocab_size").asInt(2), (float) config.path("layer_norm_eps").asDouble(1e-12),
                config.path("pad_token_id").asInt(0), (float) config.path("hidden_dropout_prob").asDouble(0.1),
                (float) config.path("attention_probs_dropout_prob").asDouble(0.1), pooling, normalize);
    }

    /**
     * @param params parameters written by {@link #toParams()}
     * @return the architecture
     */
    public static TransformerConfig fromParams(Map<String, String> params) {
        return new TransformerConfig(params.get("modelType"), Integer.parseInt(params.get("vocabSize")),
                Integer.parseInt(params.get("hidden")), Integer.parseInt(params.get("layers")),
                Integer.parseInt(params.get("heads")), Integer.parseInt(params.get("intermediate")),
                Integer.parseInt(params.get("maxPositions")), Integer.parseInt(params.get("typeVocabSize")),
                Float.parseFloat(params.get("layerNormEps")), Integer.parseInt(params.get("padTokenId")),
                Float.parseFloat(params.get("hiddenDropout")), Float.parseFloat(params.get("attentionDropout")),
                params.get("pooling"), Boolean.parseBoolean(params.get("normalize")));
    }

    /** @return the architecture as string parameters (for an encoder spec) */
    public Map<String, String> toParams() {
        Map<String, String> p = new TreeMap<>();
        p.put("modelType", modelType);
        p.put("vocabSize", String.valueOf(vocabSize));
        p.put("hidden", String.valueOf(hidden));
        p.put("layers", String.valueOf(layers));
        p.put("heads", String.valueOf(heads));
        p.put("intermediate", String.valueOf(intermediate));
        p.put("maxPositions", String.valueOf(maxPositions));
        p.put("typeVocabSize", String.valueOf(typeVocabSize));
        p.put("layerNormEps", String.valueOf(layerNormEps));
        p.put("padTokenId", String.valueOf(padTokenId));
        p.put("hiddenDropout", String.valueOf(hiddenDropout));
        p.put("attentionDropout", String.valueOf(attentionDropout));
        p.put("pooling", pooling);
        p.put("normalize", String.valueOf(normalize));
        return p;
    }

    /** @return whether position ids start after the padding id (RoBERTa family) */
    public boolean robertaPositions() {
        return !"bert".equals(modelType);
    }

    /**
     * @param value whether to L2-normalize the pooled vector
     * @return a copy with that setting
     */
    public TransformerConfig withNormalize(boolean value) {
        return new TransformerConfig(modelType, vocabSize, hidden, layers, heads, intermediate, maxPositions,
                typeVocabSize, layerNormEps, padTokenId, hiddenDropout, attentionDropout, pooling, value);
    }

    private static int required(JsonNode config, String key) {
        JsonNode v = config.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("Cannot load a pretrained encoder: config.json has no integer '"
                    + key + "'");
        }
        return v.asInt();
    }
}
