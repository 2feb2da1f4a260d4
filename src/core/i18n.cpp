// Translation tables: load, merge, look up, format errors.
#include "core/i18n.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace crm {

std::string fill_placeholders(std::string_view text,
                              const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out;
    out.reserve(text.size() + 16);
    for (size_t i = 0; i < text.size();) {
        if (text[i] == '{') {
            size_t close = text.find('}', i + 1);
            if (close != std::string_view::npos) {
                std::string_view name = text.substr(i + 1, close - i - 1);
                auto it = std::find_if(params.begin(), params.end(), [&](auto& p) { return p.first == name; });
                if (it != params.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out.push_back(text[i++]);
    }
    return out;
}

// Parses one flat JSON object and merges it; a later file wins on a duplicate key.
Status Translations::merge_text(const std::string& text, const std::string& origin) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        Error e = make_error("err.i18n.bad_json", {}, origin);
        e.with("file", origin);
        return e;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it.value().is_string()) {
            Error e = make_error("err.i18n.bad_json", {}, origin + ": " + it.key() + " is not a string");
            e.with("file", origin);
            return e;
        }
        table_[it.key()] = it.value().get<std::string>();
    }
    return {};
}

Status Translations::load(const std::string& dir, const std::string& lang) {
    namespace fs = std::filesystem;
    fs::path folder = fs::path(dir) / lang;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        Error e = make_error("err.i18n.missing_dir", {}, folder.string());
        e.with("dir", folder.string());
        return e;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // stable merge order on every platform
    std::vector<std::string> texts;
    for (const fs::path& p : files) {
        std::ifstream in(p, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        texts.push_back(ss.str());
    }
    table_.clear();
    lang_ = lang;
    for (size_t i = 0; i < texts.size(); ++i)
        if (Status s = merge_text(texts[i], files[i].filename().string()); !s) return s;
    return {};
}

Status Translations::load_from_strings(const std::string& lang, const std::vector<std::string>& json_texts) {
    table_.clear();
    lang_ = lang;
    for (size_t i = 0; i < json_texts.size(); ++i)
        if (Status s = merge_text(json_texts[i], lang + "#" + std::to_string(i)); !s) return s;
    return {};
}

std::string Translations::tr(std::string_view key) const {
    auto it = table_.find(std::string(key));
    return it == table_.end() ? std::string(key) : it->second;
}

bool Translations::has(std::string_view key) const { return table_.count(std::string(key)) != 0; }

std::string Translations::message(const Error& e) const {
    std::vector<std::pair<std::string, std::string>> params = e.params;
    if (!e.field.empty()) params.emplace_back("field", tr(e.field));
    // A picklist name in {list} reads better as its title ("pick.status" -> "Status").
    for (auto& [k, v] : params)
        if (k == "list" && has("picklist." + v)) v = tr("picklist." + v);
    return fill_placeholders(tr(e.code), params);
}

std::vector<std::string> Translations::keys() const {
    std::vector<std::string> k;
    k.reserve(table_.size());
    for (const auto& [key, text] : table_) k.push_back(key);
    std::sort(k.begin(), k.end());
    return k;
}

}  // namespace crm
