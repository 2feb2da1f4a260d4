// The vault: meta record, unlocking, loading and checking pages, sealing commits.
#include "store/vault.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include <sodium.h>

namespace crm::store {

namespace {

using json = nlohmann::json;

Error corrupt(const std::string& what) {
    return make_error("err.vault.corrupt_meta", {}, what).with("what", what);
}

std::vector<uint8_t> bytes_of(const std::array<uint8_t, 32>& a) { return {a.begin(), a.end()}; }

// Reads a base64 field; nullopt when missing or malformed (wasm has no exceptions: every
// type is checked before it is read).
std::optional<std::vector<uint8_t>> b64_field(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return from_base64(it->get<std::string>());
}

std::optional<uint64_t> uint_field(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) return std::nullopt;
    return it->get<uint64_t>();
}

template <size_t N>
bool copy_exact(const std::optional<std::vector<uint8_t>>& in, std::array<uint8_t, N>& out) {
    if (!in || in->size() != N) return false;
    std::copy(in->begin(), in->end(), out.begin());
    return true;
}

std::string hex(const DbId& id) {
    char out[2 * sizeof(DbId) + 1];
    sodium_bin2hex(out, sizeof out, id.data(), id.size());
    return out;
}

}  // namespace

// ---- creating and unlocking -----------------------------------------------------------------

std::string Vault::meta_json(uint64_t seq, uint32_t page_count, const Tag& manifest) const {
    json j = {{"format", 1},
              {"db_id", to_base64({db_id_.begin(), db_id_.end()})},
              {"seq", seq},
              {"page_count", page_count},
              {"manifest", to_base64(bytes_of(manifest))}};
    if (demo_) {
        j["device_key"] = to_base64(bytes_of(data_key_));
    } else {
        j["kdf"] = {{"salt", to_base64(kdf_.salt)}, {"ops", kdf_.ops}, {"mem", kdf_.mem}};
        j["pass_key"] = to_base64(pass_key_);
        j["recovery_key"] = to_base64(recovery_key_);
    }
    return j.dump();
}

Result<std::unique_ptr<Vault>> Vault::create(PageStore& store, std::string_view passphrase,
                                             std::string* recovery_key) {
    if (passphrase.empty()) return make_error("err.vault.passphrase_empty");
    std::unique_ptr<Vault> v(new Vault(store));
    v->db_id_ = random_db_id();
    v->data_key_ = random_key();
    v->kdf_ = new_kdf_params();
    auto kek = derive_kek(passphrase, v->kdf_);
    if (!kek) return kek.error();
    v->pass_key_ = wrap_key(v->data_key_, *kek);
    const std::string recovery = new_recovery_key();
    v->recovery_key_ = wrap_key(v->data_key_, *recovery_kek(recovery));
    v->cipher_ = std::make_unique<PageCipher>(v->data_key_, v->db_id_);
    v->manifest_ = v->cipher_->manifest_mac(0, 0, {});
    if (auto s = store.write_batch(v->meta_json(0, 0, v->manifest_), {}, 0); !s) return s.error();
    if (recovery_key) *recovery_key = recovery;
    return v;
}

Result<std::unique_ptr<Vault>> Vault::create_demo(PageStore& store) {
    std::unique_ptr<Vault> v(new Vault(store));
    v->demo_ = true;
    v->db_id_ = random_db_id();
    v->data_key_ = random_key();
    v->cipher_ = std::make_unique<PageCipher>(v->data_key_, v->db_id_);
    v->manifest_ = v->cipher_->manifest_mac(0, 0, {});
    if (auto s = store.write_batch(v->meta_json(0, 0, v->manifest_), {}, 0); !s) return s.error();
    return v;
}

Result<std::string> Vault::kind(PageStore& store) {
    auto meta = store.read_meta();
    if (!meta) return meta.error();
    if (!*meta) {
        // Pages without their key record are not an empty device: a new workspace would
        // be written over them.
        bool pages = false;
        Status seen = store.visit_pages([&](uint32_t, const std::vector<uint8_t>&) -> Status {
            pages = true;
            return corrupt("stop");  // one is enough
        });
        if (pages) return corrupt("pages are stored without it");
        if (!seen) return seen.error();
        return std::string();
    }
    json j = json::parse(**meta, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return corrupt("meta record is not JSON");
    return std::string(j.contains("device_key") ? "demo" : "passphrase");
}

Result<std::unique_ptr<Vault>> Vault::unlock(PageStore& store, std::string_view secret) {
    auto meta = store.read_meta();
    if (!meta) return meta.error();
    if (!*meta) return make_error("err.vault.empty");
    return from_meta(store, **meta, secret);
}

Result<std::unique_ptr<Vault>> Vault::from_meta(PageStore& store, const std::string& text,
                                                std::string_view secret) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return corrupt("meta record is not JSON");
    std::unique_ptr<Vault> v(new Vault(store));
    auto seq = uint_field(j, "seq");
    auto pages = uint_field(j, "page_count");
    if (!copy_exact(b64_field(j, "db_id"), v->db_id_) || !seq || !pages)
        return corrupt("database id, sequence or page count");
    v->seq_ = *seq;
    v->page_seq_.assign(static_cast<size_t>(*pages), 0);

    if (j.contains("device_key")) {
        v->demo_ = true;
        if (!copy_exact(b64_field(j, "device_key"), v->data_key_)) return corrupt("device key");
    } else {
        auto kdf = j.find("kdf");
        auto pass = b64_field(j, "pass_key");
        auto rec = b64_field(j, "recovery_key");
        if (kdf == j.end() || !kdf->is_object() || !pass || !rec) return corrupt("wrapped keys");
        auto salt = b64_field(*kdf, "salt");
        auto ops = uint_field(*kdf, "ops");
        auto mem = uint_field(*kdf, "mem");
        if (!salt || !ops || !mem) return corrupt("key derivation parameters");
        v->kdf_ = {*salt, *ops, *mem};
        v->pass_key_ = *pass;
        v->recovery_key_ = *rec;
        // A recovery key first (cheap); otherwise the secret is a passphrase (Argon2id).
        std::optional<Key> key;
        if (auto rk = recovery_kek(secret))
            if (auto k = unwrap_key(v->recovery_key_, *rk)) key = *k;
        if (!key) {
            auto kek = derive_kek(secret, v->kdf_);
            if (!kek) return kek.error();
            auto k = unwrap_key(v->pass_key_, *kek);
            if (!k) return k.error();
            key = *k;
        }
        v->data_key_ = *key;
    }
    v->cipher_ = std::make_unique<PageCipher>(v->data_key_, v->db_id_);
    if (!copy_exact(b64_field(j, "manifest"), v->manifest_)) return corrupt("manifest");
    return v;
}

// ---- opening ----------------------------------------------------------------------------------

namespace {
Error tampered(const std::string& what) { return make_error("err.vault.tampered", {}, what).with("what", what); }
}  // namespace

Status Vault::read_pages(uint32_t last) {
    if (opened_) return make_error("err.vault.already_open");
    if (read_error_) return *read_error_;
    const uint32_t count = page_count();
    if (image_.pages.size() != count) image_.pages.assign(count, {});
    last = std::min(last, count);
    if (last < next_page_) return {};
    Status read = store_.visit_page_range(next_page_, last, [&](uint32_t n, const std::vector<uint8_t>& bytes) -> Status {
        const std::string name = "page " + std::to_string(n);
        const uint64_t seq = PageCipher::seq_of(bytes);
        if (seq == 0 || seq > seq_) return tampered(name + " is from a later save");
        auto plain = cipher_->open(n, bytes);
        if (!plain) return plain.error();
        if (plain->size() != kPageSize) return tampered(name + " has the wrong size");
        image_.pages[n - 1] = std::move(*plain);
        page_seq_[n - 1] = seq;
        xor_into(versions_, cipher_->version_tag(n, seq));
        return {};
    });
    if (!read) {
        read_error_ = read.error();  // half read: it stays so, and never opens
        return read;
    }
    next_page_ = last + 1;
    return {};
}

Result<Db> Vault::open_db() {
    if (Status s = read_pages(page_count()); !s) return s.error();
    const uint32_t count = page_count();
    // Nothing may be stored outside 1..page_count.
    auto stray = [](uint32_t n, const std::vector<uint8_t>&) -> Status {
        return tampered("page " + std::to_string(n) + " should not exist");
    };
    if (Status s = store_.visit_page_range(0, 0, stray); !s) return s.error();
    if (count < UINT32_MAX)
        if (Status s = store_.visit_page_range(count + 1, UINT32_MAX, stray); !s) return s.error();
    for (uint32_t n = 1; n <= count; n++)
        if (page_seq_[n - 1] == 0) return tampered("page " + std::to_string(n) + " is missing");
    if (cipher_->manifest_mac(seq_, count, versions_) != manifest_)
        return make_error("err.vault.rolled_back", {}, "manifest mismatch");

    static int next = 0;  // several vaults may be open at once (tests): distinct names
    vfs_name_ = "crm-" + hex(db_id_) + "-" + std::to_string(next++);
    mem_vfs_attach(vfs_name_, &image_, [this](const PageBatch& b) { return write_commit(b); });
    auto db = open_mem_db(vfs_name_);
    if (!db) return db.error();
    opened_ = true;
    return db;
}

// ---- saving -----------------------------------------------------------------------------------

// Seals the batch and writes it; the vault's own record of page versions changes only
// when the store accepted the batch (so a failed write leaves it as it was).
Status Vault::write_commit(const PageBatch& batch) {
    const uint64_t seq = seq_ + 1;
    auto old_seq = [&](uint32_t n) { return n <= page_seq_.size() ? page_seq_[n - 1] : 0; };
    Tag versions = versions_;
    for (uint32_t n = batch.page_count + 1; n <= page_seq_.size(); n++)  // truncated away
        xor_into(versions, cipher_->version_tag(n, page_seq_[n - 1]));
    std::vector<SealedPage> sealed;
    sealed.reserve(batch.pages.size());
    for (const auto& [n, bytes] : batch.pages) {
        if (uint64_t before = old_seq(n)) xor_into(versions, cipher_->version_tag(n, before));
        xor_into(versions, cipher_->version_tag(n, seq));
        sealed.push_back({n, cipher_->seal(n, seq, *bytes)});
    }
    const Tag mac = cipher_->manifest_mac(seq, batch.page_count, versions);
    if (auto s = store_.write_batch(meta_json(seq, batch.page_count, mac), sealed, batch.page_count); !s)
        return s;
    seq_ = seq;
    page_seq_.resize(batch.page_count, 0);
    for (const auto& [n, bytes] : batch.pages) page_seq_[n - 1] = seq;
    versions_ = versions;
    manifest_ = mac;
    return {};
}

Status Vault::change_passphrase(std::string_view new_passphrase) {
    if (demo_) return make_error("err.vault.demo_has_no_passphrase");
    if (new_passphrase.empty()) return make_error("err.vault.passphrase_empty");
    KdfParams kdf = new_kdf_params();
    auto kek = derive_kek(new_passphrase, kdf);
    if (!kek) return kek.error();
    std::swap(kdf_, kdf);
    std::vector<uint8_t> wrapped = wrap_key(data_key_, *kek);
    std::swap(pass_key_, wrapped);
    const uint32_t page_count = static_cast<uint32_t>(page_seq_.size());
    Status s = store_.write_batch(meta_json(seq_, page_count, manifest_), {}, page_count);
    if (!s) {  // the stored meta is unchanged: keep using the old wrapping
        std::swap(kdf_, kdf);
        std::swap(pass_key_, wrapped);
    }
    return s;
}

// ---- the state sealed afresh --------------------------------------------------------------------

Result<std::optional<std::string>> SealedView::read_meta() {
    if (!vault_.opened_) return make_error("err.vault.empty");
    return std::optional<std::string>(vault_.meta_json(vault_.seq_, vault_.page_count(), vault_.manifest_));
}

Status SealedView::visit_page_range(uint32_t first, uint32_t last, const PageVisitor& fn) {
    if (!vault_.opened_) return make_error("err.vault.empty");
    // The image holds what the last commit stored (SQLite keeps an open transaction's
    // pages in its own cache until it commits).
    for (uint32_t n = std::max<uint32_t>(first, 1); n <= std::min(last, vault_.page_count()); n++)
        if (Status s = fn(n, vault_.cipher_->seal(n, vault_.page_seq_[n - 1], vault_.image_.pages[n - 1])); !s)
            return s;
    return {};
}

Status Vault::close_sealed(const PageStore::PageVisitor& fn) {
    if (!opened_) return make_error("err.vault.empty");
    mem_vfs_detach(vfs_name_);  // nothing may read the image while it empties
    vfs_name_.clear();
    opened_ = false;
    read_error_ = make_error("err.vault.empty");  // and it never opens again
    for (uint32_t n = 1; n <= page_count(); n++) {
        std::vector<uint8_t>& plain = image_.pages[n - 1];
        if (Status s = fn(n, cipher_->seal(n, page_seq_[n - 1], plain)); !s) return s;
        sodium_memzero(plain.data(), plain.size());
        plain = {};
    }
    return {};
}

Status SealedView::write_batch(const std::string&, const std::vector<SealedPage>&, uint32_t) {
    return make_error("err.vault.store_write", {}, "a sealed view is read-only");
}

Vault::~Vault() {
    if (!vfs_name_.empty()) mem_vfs_detach(vfs_name_);
}

}  // namespace crm::store
