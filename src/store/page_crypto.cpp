// Page sealing, manifest MAC and key wrapping with libsodium.
#include "store/page_crypto.h"

#include <sodium.h>

#include <cstring>
#include <optional>

namespace crm::store {

namespace {

void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    (void)ready;
}

void put_u64(uint8_t* out, uint64_t v) {
    for (int i = 0; i < 8; i++) out[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t get_u64(const uint8_t* in) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= static_cast<uint64_t>(in[i]) << (8 * i);
    return v;
}

constexpr size_t kSeqBytes = 8;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;       // 16

// Associated data: database id || page number || commit sequence.
std::array<uint8_t, 28> associated(const DbId& id, uint32_t page_no, uint64_t seq) {
    std::array<uint8_t, 28> ad{};
    std::memcpy(ad.data(), id.data(), 16);
    for (int i = 0; i < 4; i++) ad[16 + i] = static_cast<uint8_t>(page_no >> (8 * i));
    put_u64(ad.data() + 20, seq);
    return ad;
}

constexpr const char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

Key random_key() {
    ensure_sodium();
    Key k;
    randombytes_buf(k.data(), k.size());
    return k;
}

DbId random_db_id() {
    ensure_sodium();
    DbId id;
    randombytes_buf(id.data(), id.size());
    return id;
}

PageCipher::PageCipher(const Key& data_key, const DbId& db_id) : db_id_(db_id) {
    ensure_sodium();
    // Separate subkeys for sealing and for the manifest, derived from the one data key.
    crypto_kdf_derive_from_key(page_key_.data(), page_key_.size(), 1, "crmpages", data_key.data());
    crypto_kdf_derive_from_key(mac_key_.data(), mac_key_.size(), 2, "crmpages", data_key.data());
    randombytes_buf(nonce_prefix_.data(), nonce_prefix_.size());
}

std::vector<uint8_t> PageCipher::seal(uint32_t page_no, uint64_t seq, const std::vector<uint8_t>& plain) {
    std::vector<uint8_t> out(kSeqBytes + kNonceBytes + plain.size() + kTagBytes);
    put_u64(out.data(), seq);
    uint8_t* nonce = out.data() + kSeqBytes;
    std::memcpy(nonce, nonce_prefix_.data(), 16);
    put_u64(nonce + 16, counter_++);
    const auto ad = associated(db_id_, page_no, seq);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kSeqBytes + kNonceBytes, &written, plain.data(),
                                               plain.size(), ad.data(), ad.size(), nullptr, nonce,
                                               page_key_.data());
    return out;
}

uint64_t PageCipher::seq_of(const std::vector<uint8_t>& sealed) {
    return sealed.size() >= kSeqBytes ? get_u64(sealed.data()) : 0;
}

Result<std::vector<uint8_t>> PageCipher::open(uint32_t page_no, const std::vector<uint8_t>& sealed) const {
    auto tampered = [&] {
        return make_error("err.vault.tampered", {}, "page " + std::to_string(page_no))
            .with("what", "page " + std::to_string(page_no));
    };
    if (sealed.size() < kSeqBytes + kNonceBytes + kTagBytes) return tampered();
    const uint64_t seq = get_u64(sealed.data());
    const uint8_t* nonce = sealed.data() + kSeqBytes;
    const uint8_t* cipher = nonce + kNonceBytes;
    const size_t cipher_len = sealed.size() - kSeqBytes - kNonceBytes;
    std::vector<uint8_t> plain(cipher_len - kTagBytes);
    const auto ad = associated(db_id_, page_no, seq);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &written, nullptr, cipher, cipher_len,
                                                   ad.data(), ad.size(), nonce, page_key_.data()) != 0)
        return tampered();
    return plain;
}

Tag PageCipher::version_tag(uint32_t page_no, uint64_t seq) const {
    uint8_t in[12];
    for (int i = 0; i < 4; i++) in[i] = static_cast<uint8_t>(page_no >> (8 * i));
    put_u64(in + 4, seq);
    Tag t;
    crypto_generichash(t.data(), t.size(), in, sizeof in, mac_key_.data(), mac_key_.size());
    return t;
}

Tag PageCipher::manifest_mac(uint64_t seq, uint32_t page_count, const Tag& versions) const {
    std::vector<uint8_t> in(db_id_.begin(), db_id_.end());
    in.resize(16 + 8 + 4);
    put_u64(in.data() + 16, seq);
    for (int i = 0; i < 4; i++) in[24 + i] = static_cast<uint8_t>(page_count >> (8 * i));
    in.insert(in.end(), versions.begin(), versions.end());
    Tag t;
    crypto_generichash(t.data(), t.size(), in.data(), in.size(), mac_key_.data(), mac_key_.size());
    return t;
}

void xor_into(Tag& acc, const Tag& t) {
    for (size_t i = 0; i < acc.size(); i++) acc[i] ^= t[i];
}

// ---- keys --------------------------------------------------------------------------------

KdfParams new_kdf_params() {
    ensure_sodium();
    KdfParams p;
    p.salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(p.salt.data(), p.salt.size());
    p.ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    p.mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    return p;
}

Result<Key> derive_kek(std::string_view passphrase, const KdfParams& p) {
    ensure_sodium();
    if (p.salt.size() != crypto_pwhash_SALTBYTES) return make_error("err.vault.corrupt_meta", {}, "salt");
    Key k;
    if (crypto_pwhash(k.data(), k.size(), passphrase.data(), passphrase.size(), p.salt.data(), p.ops,
                      static_cast<size_t>(p.mem), crypto_pwhash_ALG_ARGON2ID13) != 0)
        return make_error("err.vault.out_of_memory", {}, "argon2id");
    return k;
}

std::vector<uint8_t> wrap_key(const Key& data_key, const Key& kek) {
    ensure_sodium();
    std::vector<uint8_t> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + data_key.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, data_key.data(), data_key.size(),
                          out.data(), kek.data());
    return out;
}

Result<Key> unwrap_key(const std::vector<uint8_t>& wrapped, const Key& kek) {
    Key k;
    if (wrapped.size() != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + k.size() ||
        crypto_secretbox_open_easy(k.data(), wrapped.data() + crypto_secretbox_NONCEBYTES,
                                   wrapped.size() - crypto_secretbox_NONCEBYTES, wrapped.data(),
                                   kek.data()) != 0)
        return make_error("err.vault.wrong_passphrase");
    return k;
}

std::string new_recovery_key() {
    ensure_sodium();
    uint8_t bytes[20];
    randombytes_buf(bytes, sizeof bytes);
    std::string out;
    for (int i = 0; i < 32; i++) {  // 160 bits, 5 per character
        int bit = i * 5, value = 0;
        for (int b = 0; b < 5; b++, bit++) value = (value << 1) | ((bytes[bit / 8] >> (7 - bit % 8)) & 1);
        if (i && i % 4 == 0) out += '-';
        out += kBase32[value];
    }
    return out;
}

std::optional<Key> recovery_kek(std::string_view text) {
    std::string chars;
    for (char c : text) {
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (!std::strchr(kBase32, c) || c == '\0') return std::nullopt;
        chars += c;
    }
    if (chars.size() != 32) return std::nullopt;
    // The recovery key has 160 random bits: a plain keyed hash is enough (no Argon2id).
    static const char kContext[] = "crm recovery key";
    Key k;
    crypto_generichash(k.data(), k.size(), reinterpret_cast<const uint8_t*>(chars.data()), chars.size(),
                       reinterpret_cast<const uint8_t*>(kContext), sizeof kContext - 1);
    return k;
}

std::string to_base64(const std::vector<uint8_t>& bytes) {
    ensure_sodium();
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::vector<uint8_t>> from_base64(std::string_view text) {
    ensure_sodium();
    std::vector<uint8_t> out(text.size());
    size_t len = 0;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

}  // namespace crm::store
