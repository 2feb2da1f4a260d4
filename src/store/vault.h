// A vault is one encrypted database kept in a PageStore: it unlocks the data key (with the
// passphrase, the recovery key, or, for the demo, a key stored beside the data), reads
// and checks every page into memory, serves them to SQLite through the crm-mem VFS, and
// writes each commit's changed pages, sealed, with a new meta record in one batch.
// Never interprets the database's content.
//
// Meta record (JSON): {"format":1, "db_id", "seq", "page_count", "manifest",
//   "kdf":{"salt","ops","mem"}, "pass_key", "recovery_key"} or {"device_key"} for the demo;
// binary values in base64. See docs/ARCHITECTURE.md.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/mem_vfs.h"
#include "store/page_crypto.h"
#include "store/page_store.h"

namespace crm::store {

class Vault;

// An open vault's committed state as a read-only PageStore: every page sealed afresh from
// the decrypted image at the sequence number it was stored with (new nonces; the meta and
// manifest as stored), so it unlocks exactly as the vault's own store does. For backups,
// and for handing the pages back to a store that keeps no copy while a workspace is open.
class SealedView : public PageStore {
public:
    explicit SealedView(Vault& vault) : vault_(vault) {}
    Result<std::optional<std::string>> read_meta() override;
    Status visit_page_range(uint32_t first, uint32_t last, const PageVisitor& fn) override;
    Status write_batch(const std::string&, const std::vector<SealedPage>&, uint32_t) override;  // refused

private:
    Vault& vault_;
};

class Vault {
public:
    // A new, empty encrypted database. *recovery_key receives the key to show once.
    static Result<std::unique_ptr<Vault>> create(PageStore& store, std::string_view passphrase,
                                                 std::string* recovery_key);
    // A new database protected only by a key stored with it (the demo workspace).
    static Result<std::unique_ptr<Vault>> create_demo(PageStore& store);
    // err.vault.wrong_passphrase (nothing changes), err.vault.corrupt_meta, err.vault.empty.
    // `secret` is the passphrase or the recovery key; ignored for a demo vault.
    static Result<std::unique_ptr<Vault>> unlock(PageStore& store, std::string_view secret);

    // What is stored, without unlocking: "" (nothing), "demo" or "passphrase".
    static Result<std::string> kind(PageStore& store);

    // Reads, checks and decrypts every page, then opens SQLite on them. Once per vault.
    // err.vault.tampered (a page changed, missing or from elsewhere) or
    // err.vault.rolled_back (a page older than the last save) name what is wrong.
    Result<Db> open_db();
    // The reading part of open_db in steps, for progress on a big workspace: reads the pages
    // up to `last` not read yet; open_db then reads the rest. After an error the vault
    // cannot be opened.
    Status read_pages(uint32_t last);
    uint32_t pages_read() const { return next_page_ - 1; }
    uint32_t page_count() const { return static_cast<uint32_t>(page_seq_.size()); }

    // Re-wraps the data key; pages are not touched. Not for demo vaults.
    Status change_passphrase(std::string_view new_passphrase);

    // The committed state sealed afresh (see SealedView). Only once the vault is open.
    SealedView sealed_view() { return SealedView(*this); }
    // Closing, once its database connection has closed: every page, sealed as SealedView
    // seals it, goes to fn, and its decrypted copy is freed as it goes (a big workspace is
    // never held twice). The vault cannot be used afterwards.
    Status close_sealed(const PageStore::PageVisitor& fn);

    bool is_demo() const { return demo_; }
    uint64_t commit_seq() const { return seq_; }
    uint64_t nonces_used() const { return cipher_ ? cipher_->nonces_used() : 0; }
    ~Vault();

private:
    friend class SealedView;
    Vault(PageStore& store) : store_(store) {}
    Status write_commit(const PageBatch& batch);
    std::string meta_json(uint64_t seq, uint32_t page_count, const Tag& manifest) const;
    static Result<std::unique_ptr<Vault>> from_meta(PageStore& store, const std::string& meta,
                                                    std::string_view secret);

    PageStore& store_;
    DbId db_id_{};
    Key data_key_{};
    std::unique_ptr<PageCipher> cipher_;
    bool demo_ = false;
    KdfParams kdf_;
    std::vector<uint8_t> pass_key_, recovery_key_;  // wrapped data key
    uint64_t seq_ = 0;
    std::vector<uint64_t> page_seq_;  // seq of each stored page, index = page - 1
    Tag versions_{};                  // XOR of version tags of every stored page
    uint32_t next_page_ = 1;          // opening: the first page not read yet
    std::optional<Error> read_error_; // opening: what stopped the reading
    Tag manifest_{};                  // the stored manifest MAC (meta record)
    PageImage image_;
    std::string vfs_name_;
    bool opened_ = false;
};

}  // namespace crm::store
