// Teams: ids, keys, invite codes, sealing of the team's files, the device-code registry.
//
// Index of this file
//   [SECTION] ids, invite codes
//   [SECTION] file names, sealing
//   [SECTION] settings
//   [SECTION] registry: create, join
#include "sync/team.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

namespace crm::sync {

namespace {
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr char kMagic[4] = {'C', 'R', 'S', '1'};
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr int kJoinTries = 8;

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    (void)ready;
}

std::string to_hex(const uint8_t* p, size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}

bool from_hex(std::string_view hex, uint8_t* out, size_t n) {
    size_t len = 0;
    return hex.size() == n * 2 && sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

// The two check bytes of an invite: catch a mistyped character before any network call.
void check_bytes(const uint8_t* payload, size_t n, uint8_t out[2]) {
    static const char kContext[] = "crm team invite";
    crypto_generichash(out, 2, payload, n, reinterpret_cast<const uint8_t*>(kContext), sizeof kContext - 1);
}
}  // namespace

// ---- [SECTION] ids, invite codes -------------------------------------------------------------

Team new_team() {
    ensure_sodium();
    Team t;
    uint8_t id[16];
    randombytes_buf(id, sizeof id);
    t.id = to_hex(id, sizeof id);
    t.key = store::random_key();
    return t;
}

std::string invite_code(const Team& team) {
    uint8_t payload[50] = {};
    from_hex(team.id, payload, 16);
    std::copy(team.key.begin(), team.key.end(), payload + 16);
    check_bytes(payload, 48, payload + 48);
    std::string out = "CRM1";
    for (int i = 0; i < 80; i++) {  // 400 bits, 5 per character
        int value = 0;
        for (int b = 0; b < 5; b++) {
            const int bit = i * 5 + b;
            value = (value << 1) | ((payload[bit / 8] >> (7 - bit % 8)) & 1);
        }
        if (i % 4 == 0) out += '-';
        out += kBase32[value];
    }
    return out;
}

Result<Team> parse_invite(std::string_view text) {
    std::string chars;
    for (char c : text) {
        if (c == '-' || c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        chars += c;
    }
    if (chars.compare(0, 4, "CRM1") != 0 || chars.size() != 84) return make_error("err.sync.invite_invalid");
    uint8_t payload[50] = {};
    for (int i = 0; i < 80; i++) {
        const char* at = std::strchr(kBase32, chars[4 + i]);
        if (!at || !*at) return make_error("err.sync.invite_invalid");
        const int value = static_cast<int>(at - kBase32);
        for (int b = 0; b < 5; b++) {
            const int bit = i * 5 + b;
            if ((value >> (4 - b)) & 1) payload[bit / 8] |= static_cast<uint8_t>(1 << (7 - bit % 8));
        }
    }
    uint8_t check[2];
    check_bytes(payload, 48, check);
    if (check[0] != payload[48] || check[1] != payload[49]) return make_error("err.sync.invite_invalid");
    Team t;
    t.id = to_hex(payload, 16);
    std::copy(payload + 16, payload + 48, t.key.begin());
    return t;
}

// ---- [SECTION] file names, sealing -----------------------------------------------------------

std::string registry_name(const Team& t) { return t.id + "/team"; }
std::string heads_prefix(const Team& t) { return t.id + "/heads/"; }
std::string head_name(const Team& t, std::string_view device) { return heads_prefix(t) + std::string(device); }

std::string segment_name(const Team& t, std::string_view device, uint64_t number) {
    char n[24];
    std::snprintf(n, sizeof n, "%010llu", static_cast<unsigned long long>(number));
    return t.id + "/seg/" + std::string(device) + "/" + n;
}

Bytes seal(const Team& team, std::string_view name, std::string_view plain) {
    ensure_sodium();
    Bytes out(sizeof kMagic + kNonce + plain.size() + kTag);
    std::copy(kMagic, kMagic + sizeof kMagic, out.begin());
    uint8_t* nonce = out.data() + sizeof kMagic;
    randombytes_buf(nonce, kNonce);  // one call per file: cheap enough even in wasm
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        nonce + kNonce, &len, reinterpret_cast<const uint8_t*>(plain.data()), plain.size(),
        reinterpret_cast<const uint8_t*>(name.data()), name.size(), nullptr, nonce, team.key.data());
    return out;
}

Result<std::string> open(const Team& team, std::string_view name, const Bytes& sealed) {
    ensure_sodium();
    Error tampered = make_error("err.sync.tampered", {}, std::string(name));
    tampered.with("name", std::string(name));
    if (sealed.size() < sizeof kMagic + kNonce + kTag || !std::equal(kMagic, kMagic + sizeof kMagic, sealed.begin()))
        return tampered;
    const uint8_t* nonce = sealed.data() + sizeof kMagic;
    const size_t clen = sealed.size() - sizeof kMagic - kNonce;
    std::string plain(clen - kTag, '\0');
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<uint8_t*>(plain.data()), &len, nullptr, nonce + kNonce, clen,
            reinterpret_cast<const uint8_t*>(name.data()), name.size(), nonce, team.key.data()) != 0)
        return tampered;
    plain.resize(len);
    return plain;
}

// ---- [SECTION] settings ----------------------------------------------------------------------

Status save_team(Workspace& ws, const Team& team) {
    return ws.transaction([&]() -> Status {
        if (auto s = ws.set_setting("sync.team_id", team.id); !s) return s;
        return ws.set_setting("sync.team_key", to_hex(team.key.data(), team.key.size()));
    });
}

Result<std::optional<Team>> load_team(Workspace& ws) {
    auto id = ws.setting("sync.team_id");
    if (!id) return id.error();
    auto key = ws.setting("sync.team_key");
    if (!key) return key.error();
    if (!*id || !*key) return std::optional<Team>{};
    Team t;
    t.id = **id;
    if (!from_hex(**key, t.key.data(), t.key.size())) return make_error("err.sync.invite_invalid", {}, "stored key");
    return std::optional<Team>{t};
}

// ---- [SECTION] registry: create, join --------------------------------------------------------

std::string registry_json(const Team& team, const std::vector<Member>& members) {
    nlohmann::json devices = nlohmann::json::array();
    for (const Member& m : members) devices.push_back({{"id", m.device}, {"code", m.code}, {"user", m.user}});
    return nlohmann::json{{"format", 1}, {"team", team.id}, {"devices", devices}}.dump();
}

Result<std::vector<Member>> parse_registry(const Team& team, const std::string& text) {
    Error bad = make_error("err.sync.bad_segment", {}, registry_name(team));
    bad.with("name", registry_name(team));
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("devices") || !j["devices"].is_array()) return bad;
    std::vector<Member> out;
    for (const auto& d : j["devices"]) {
        if (!d.is_object() || !d.contains("id") || !d["id"].is_string() || !d.contains("code") || !d["code"].is_string())
            return bad;
        Member m{d["id"].get<std::string>(), d["code"].get<std::string>(), ""};
        if (d.contains("user") && d["user"].is_string()) m.user = d["user"].get<std::string>();
        out.push_back(std::move(m));
    }
    return out;
}

namespace {
// Has this workspace given out human numbers with `code` already?
Result<bool> numbered_with(Workspace& ws, const std::string& code) {
    auto rows = query_rows(ws.db(),
                           "SELECT 1 FROM customers WHERE substr(number, 9, 2) = ?1 UNION ALL "
                           "SELECT 1 FROM interactions WHERE substr(number, instr(number, '-') + 1, 2) = ?1 LIMIT 1",
                           {code});
    if (!rows) return rows.error();
    return !rows->empty();
}
}  // namespace

Task<Status> create_team(Workspace& ws, Team team) {
    const std::string name = registry_name(team);
    std::vector<Member> me = {{ws.device().device_id, ws.device().device_code, ws.device().user}};
    auto put = co_await remote_put_new(name, seal(team, name, registry_json(team, me)));
    if (!put && put.error().code != kRemoteExists) co_return put.error();
    if (!put) {
        // Already there: fine if it is ours (an earlier attempt whose reply was lost).
        auto got = co_await remote_get(name);
        if (!got) co_return got.error();
        auto plain = open(team, name, got->bytes);
        auto members = plain ? parse_registry(team, *plain) : Result<std::vector<Member>>(plain.error());
        bool listed = false;
        if (members)
            for (const Member& m : *members) listed = listed || m.device == ws.device().device_id;
        if (!listed) co_return make_error("err.sync.team_exists", {}, team.id);
    }
    co_return save_team(ws, team);
}

Task<Result<std::string>> join_team(Workspace& ws, Team team) {
    const std::string name = registry_name(team);
    for (int attempt = 0; attempt < kJoinTries; ++attempt) {
        auto got = co_await remote_get(name);
        if (!got && got.error().code == kRemoteMissing) co_return make_error("err.sync.team_missing", {}, team.id);
        if (!got) co_return got.error();
        // The registry is the first of the team's files a joining device opens: when it does
        // not open, the invite's key is not the team's (or the file was damaged).
        auto plain = open(team, name, got->bytes);
        if (!plain) co_return make_error("err.sync.wrong_key", {}, name);
        auto members = parse_registry(team, *plain);
        if (!members) co_return members.error();

        std::string code;
        std::set<std::string> taken;
        for (const Member& m : *members) {
            if (m.device == ws.device().device_id) code = m.code;
            taken.insert(m.code);
        }
        if (code.empty()) {
            const std::string mine = ws.device().device_code;
            if (!taken.count(mine)) {
                code = mine;
            } else {
                auto used = numbered_with(ws, mine);
                if (!used) co_return used.error();
                if (*used) {
                    Error e = make_error("err.sync.code_taken", {}, mine);
                    e.with("code", mine);
                    co_return e;
                }
                for (int n = 1; n <= 99 && code.empty(); ++n) {
                    const std::string c = (n < 10 ? "0" : "") + std::to_string(n);
                    if (!taken.count(c)) code = c;
                }
                if (code.empty()) co_return make_error("err.sync.team_full", {}, team.id);
            }
            members->push_back({ws.device().device_id, code, ws.device().user});
            auto put = co_await remote_put_if_match(name, seal(team, name, registry_json(team, *members)), got->etag);
            if (!put && put.error().code == kRemoteConflict) continue;  // someone joined meanwhile
            if (!put) co_return put.error();
        }
        if (auto s = ws.set_device_code(code); !s) co_return s.error();
        if (auto s = save_team(ws, team); !s) co_return s.error();
        co_return code;
    }
    co_return make_error("err.sync.busy", {}, name);
}

Status create_team(Workspace& ws, Remote& remote, const Team& team) { return run(create_team(ws, team), remote); }

Result<std::string> join_team(Workspace& ws, Remote& remote, const Team& team) {
    return run(join_team(ws, team), remote);
}

}  // namespace crm::sync
