// An in-memory Remote for tests and benchmarks, with fault injection: a call can fail,
// lose its reply after doing the work, return or store garbage or a truncated body, or
// meet a concurrent writer (412). Faults are injected one at a time or at random (seeded).
#pragma once
#include <map>
#include <random>

#include "sync/remote.h"

namespace crm::sync {

enum class RemoteOp { List, Get, PutNew, PutIfMatch, Remove };

enum class Fault {
    Fail,       // nothing done, kRemoteUnavailable
    LostReply,  // puts, remove: done, then kRemoteUnavailable (the reply never arrived)
    Garbage,    // get: random bytes returned; puts: random bytes stored, kRemoteUnavailable
    Truncate,   // get: half the bytes returned; puts: half stored, kRemoteUnavailable
    Conflict,   // put_if_match: someone else wrote the file meanwhile (ETag moves), 412
};

class MemoryRemote : public Remote {
public:
    Result<std::vector<RemoteFile>> list(std::string_view prefix) override;
    Result<Fetched> get(std::string_view name) override;
    Result<std::string> put_new(std::string_view name, const Bytes& bytes) override;
    Result<std::string> put_if_match(std::string_view name, const Bytes& bytes, std::string_view etag) override;
    Status remove(std::string_view name) override;

    // The next call of `op` on a name containing `match` meets `fault`.
    void inject(RemoteOp op, Fault fault, std::string match = {});
    // From now on every call meets a random fault with this probability (0 = none).
    void set_random_faults(double rate, uint64_t seed);

    // Direct access for tests (tampering, inspection); set() moves the ETag.
    const Bytes* peek(std::string_view name) const;
    void set(std::string_view name, Bytes bytes);
    size_t file_count() const { return files_.size(); }
    uint64_t bytes_stored() const;
    uint64_t calls() const { return calls_; }
    uint64_t faults_met() const { return faults_met_; }
    uint64_t removed() const { return removed_; }  // files remove() deleted

private:
    struct File {
        Bytes bytes;
        std::string etag;
    };
    struct Planned {
        RemoteOp op;
        Fault fault;
        std::string match;
    };
    bool take_fault(RemoteOp op, std::string_view name, Fault& fault);
    std::string store(std::string_view name, Bytes bytes);
    Bytes damaged(const Bytes& b, Fault f);

    std::map<std::string, File, std::less<>> files_;
    std::vector<Planned> planned_;
    double rate_ = 0;
    std::mt19937_64 rng_{1};
    uint64_t next_etag_ = 1, calls_ = 0, faults_met_ = 0, removed_ = 0;
};

}  // namespace crm::sync
