#include "store/backup.h"

#include <sodium.h>

#include <cstring>

#include <nlohmann/json.hpp>

#include "store/vault.h"

namespace crm::store {

namespace {
using json = nlohmann::json;
constexpr char kMagic[] = "CRMBACKUP\n";
constexpr size_t kMagicSize = sizeof(kMagic) - 1;
constexpr int kFormat = 1;

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; i++) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint32_t get_u32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

std::string checksum(const uint8_t* data, size_t size) {
    uint8_t hash[32];
    crypto_generichash(hash, sizeof hash, data, size, nullptr, 0);
    return to_base64(std::vector<uint8_t>(hash, hash + sizeof hash));
}

Error damaged(const char* what) { return make_error("err.backup.damaged", {}, what); }
}  // namespace

Result<std::vector<uint8_t>> write_backup(PageStore& from, std::string_view created_at) {
    auto meta = from.read_meta();
    if (!meta) return meta.error();
    if (!*meta) return make_error("err.vault.empty");
    auto kind = Vault::kind(from);
    if (!kind) return kind.error();

    std::vector<uint8_t> body;
    uint32_t page_count = 0;
    Status visited = from.visit_pages([&](uint32_t n, const std::vector<uint8_t>& bytes) -> Status {
        put_u32(body, n);
        put_u32(body, static_cast<uint32_t>(bytes.size()));
        body.insert(body.end(), bytes.begin(), bytes.end());
        ++page_count;
        return {};
    });
    if (!visited) return visited.error();

    const std::string header = json{{"format", kFormat},
                                    {"created_at", std::string(created_at)},
                                    {"kind", *kind},
                                    {"page_count", page_count},
                                    {"meta", **meta},
                                    {"checksum", checksum(body.data(), body.size())}}
                                   .dump();
    std::vector<uint8_t> out(kMagic, kMagic + kMagicSize);
    out.reserve(kMagicSize + 4 + header.size() + body.size());
    put_u32(out, static_cast<uint32_t>(header.size()));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Result<Backup> read_backup(const uint8_t* data, size_t size) {
    if (size < kMagicSize + 4 || std::memcmp(data, kMagic, kMagicSize) != 0)
        return make_error("err.backup.not_a_backup");
    const size_t header_size = get_u32(data + kMagicSize);
    const size_t body_at = kMagicSize + 4 + header_size;
    if (body_at > size) return damaged("header cut off");
    json h = json::parse(data + kMagicSize + 4, data + body_at, nullptr, false);
    if (h.is_discarded() || !h.is_object() || !h["format"].is_number_integer()) return damaged("header is not JSON");
    if (h["format"].get<int>() > kFormat) return make_error("err.backup.newer_format");
    if (!h["meta"].is_string() || !h["kind"].is_string() || !h["created_at"].is_string() ||
        !h["checksum"].is_string() || !h["page_count"].is_number_unsigned())
        return damaged("header fields");
    if (checksum(data + body_at, size - body_at) != h["checksum"].get<std::string>())
        return damaged("checksum does not match: the file was cut off or changed");

    Backup b;
    b.created_at = h["created_at"].get<std::string>();
    b.kind = h["kind"].get<std::string>();
    b.pages.meta = h["meta"].get<std::string>();
    for (size_t at = body_at; at < size;) {
        if (size - at < 8) return damaged("page header cut off");
        const uint32_t n = get_u32(data + at), len = get_u32(data + at + 4);
        at += 8;
        if (size - at < len) return damaged("page cut off");
        b.pages.pages[n].assign(data + at, data + at + len);
        at += len;
    }
    if (b.pages.pages.size() != h["page_count"].get<uint64_t>()) return damaged("page count");
    return b;
}

Status restore_backup(Backup&& backup, PageStore& to) {
    if (!backup.pages.meta) return make_error("err.vault.empty");
    std::vector<SealedPage> pages;
    pages.reserve(backup.pages.pages.size());
    uint32_t last = 0;
    for (auto& [n, bytes] : backup.pages.pages) {
        pages.push_back(SealedPage{n, std::move(bytes)});
        last = n;
    }
    backup.pages.pages.clear();
    return to.write_batch(*backup.pages.meta, pages, last);
}

}  // namespace crm::store
