// Translation tables: merges the flat key->text JSON files of one language and turns keys
// and crm::Error values into user-visible text. Lookup only; never decides what is valid.
// Works natively and in wasm (std::filesystem under NODERAWFS, or strings from the browser).
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace crm {

class Translations {
public:
    // Loads and merges every *.json file in <dir>/<lang>/ (sorted by file name; later files
    // win on duplicate keys). err.i18n.* on a missing folder or malformed JSON.
    Status load(const std::string& dir, const std::string& lang);
    // Same, from file contents already in memory (the browser passes them).
    Status load_from_strings(const std::string& lang, const std::vector<std::string>& json_texts);

    // Text of `key`, or the key itself when missing (so a gap is visible, not blank).
    std::string tr(std::string_view key) const;
    bool has(std::string_view key) const;
    // Translated error: code's text with {field} -> translated field name, {name} -> params.
    std::string message(const Error& e) const;

    const std::string& lang() const { return lang_; }
    size_t size() const { return table_.size(); }
    std::vector<std::string> keys() const;

private:
    Status merge_text(const std::string& text, const std::string& origin);
    std::string lang_;
    std::unordered_map<std::string, std::string> table_;
};

// Replaces every {name} in `text` with its value; unknown placeholders stay as they are.
std::string fill_placeholders(std::string_view text,
                              const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace crm
