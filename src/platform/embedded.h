// Files embedded into the binary at build time by cmake/embed.cmake (shaders, translations).
#pragma once
namespace crm::platform {
struct EmbeddedFile {
    const char* name;  // path relative to its source folder, e.g. "en/ui.json"
    const char* text;
};
extern const EmbeddedFile kShaderFiles[];
extern const int kShaderFiles_count;
extern const EmbeddedFile kTranslationFiles[];
extern const int kTranslationFiles_count;
}  // namespace crm::platform
