// Import of Hugging Face config.json files (Llama, Mistral/Mixtral,
// Qwen2/Qwen3(-MoE), DeepSeek-V2/V3, GPT-2, GPT-NeoX) into a Model.
#ifndef XPUSIM_CATALOG_HF_CONFIG_H_
#define XPUSIM_CATALOG_HF_CONFIG_H_

#include <filesystem>
#include <string_view>

#include "xpusim/model.h"
#include "xpusim/status.h"

namespace xpusim {

// Parses JSON text; `origin` names the file in error messages.
Result<Model> ParseHfConfig(std::string_view json_text, const std::string& origin);
Result<Model> LoadHfConfig(const std::filesystem::path& path);

}  // namespace xpusim

#endif  // XPUSIM_CATALOG_HF_CONFIG_H_
