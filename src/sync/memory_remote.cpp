// The in-memory remote and its faults.
#include "sync/memory_remote.h"

namespace crm::sync {

bool MemoryRemote::take_fault(RemoteOp op, std::string_view name, Fault& fault) {
    ++calls_;
    for (size_t i = 0; i < planned_.size(); ++i) {
        if (planned_[i].op != op || name.find(planned_[i].match) == std::string_view::npos) continue;
        fault = planned_[i].fault;
        planned_.erase(planned_.begin() + static_cast<std::ptrdiff_t>(i));
        ++faults_met_;
        return true;
    }
    // Plain arithmetic on the generator (fully specified), not a distribution (which the
    // standard libraries implement differently): a seed replays the same faults natively
    // and in wasm.
    if (rate_ <= 0 || static_cast<double>(rng_() >> 11) * 0x1.0p-53 >= rate_) return false;
    static constexpr Fault kAll[] = {Fault::Fail, Fault::LostReply, Fault::Garbage, Fault::Truncate, Fault::Conflict};
    fault = kAll[rng_() % 5];
    ++faults_met_;
    return true;
}

Bytes MemoryRemote::damaged(const Bytes& b, Fault f) {
    if (f == Fault::Truncate) return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() / 2));
    Bytes out(b.size() ? b.size() : 16);
    for (uint8_t& x : out) x = static_cast<uint8_t>(rng_());
    return out;
}

std::string MemoryRemote::store(std::string_view name, Bytes bytes) {
    std::string etag = std::to_string(next_etag_++);  // strong ETags are quoted
    etag.insert(etag.begin(), '"');
    etag.push_back('"');
    File& f = files_[std::string(name)];
    f.bytes = std::move(bytes);
    f.etag = etag;
    return etag;
}

Result<std::vector<RemoteFile>> MemoryRemote::list(std::string_view prefix) {
    Fault fault;
    if (take_fault(RemoteOp::List, prefix, fault)) return remote_error(kRemoteUnavailable, prefix);
    std::vector<RemoteFile> out;
    for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        out.push_back({it->first, it->second.etag, it->second.bytes.size()});
    return out;
}

Result<Fetched> MemoryRemote::get(std::string_view name) {
    Fault fault;
    const bool faulty = take_fault(RemoteOp::Get, name, fault);
    if (faulty && (fault == Fault::Fail || fault == Fault::LostReply || fault == Fault::Conflict))
        return remote_error(kRemoteUnavailable, name);
    auto it = files_.find(name);
    if (it == files_.end()) return remote_error(kRemoteMissing, name);
    if (faulty) return Fetched{damaged(it->second.bytes, fault), it->second.etag};
    return Fetched{it->second.bytes, it->second.etag};
}

Result<std::string> MemoryRemote::put_new(std::string_view name, const Bytes& bytes) {
    Fault fault;
    const bool faulty = take_fault(RemoteOp::PutNew, name, fault);
    if (faulty && (fault == Fault::Fail || fault == Fault::Conflict)) return remote_error(kRemoteUnavailable, name);
    if (files_.count(name)) return remote_error(kRemoteExists, name);
    if (!faulty) return store(name, bytes);
    store(name, fault == Fault::LostReply ? bytes : damaged(bytes, fault));
    return remote_error(kRemoteUnavailable, name);
}

Result<std::string> MemoryRemote::put_if_match(std::string_view name, const Bytes& bytes, std::string_view etag) {
    Fault fault;
    const bool faulty = take_fault(RemoteOp::PutIfMatch, name, fault);
    if (faulty && fault == Fault::Fail) return remote_error(kRemoteUnavailable, name);
    auto it = files_.find(name);
    if (it == files_.end() || it->second.etag != etag) return remote_error(kRemoteConflict, name);
    if (!faulty) return store(name, bytes);
    if (fault == Fault::Conflict) {  // another writer stored the same bytes meanwhile
        store(name, it->second.bytes);
        return remote_error(kRemoteConflict, name);
    }
    store(name, fault == Fault::LostReply ? bytes : damaged(bytes, fault));
    return remote_error(kRemoteUnavailable, name);
}

Status MemoryRemote::remove(std::string_view name) {
    Fault fault;
    const bool faulty = take_fault(RemoteOp::Remove, name, fault);
    if (faulty && fault != Fault::LostReply) return remote_error(kRemoteUnavailable, name);
    auto it = files_.find(name);
    if (it != files_.end()) {
        files_.erase(it);
        ++removed_;
    }
    if (faulty) return remote_error(kRemoteUnavailable, name);
    return {};
}

void MemoryRemote::inject(RemoteOp op, Fault fault, std::string match) {
    planned_.push_back({op, fault, std::move(match)});
}

void MemoryRemote::set_random_faults(double rate, uint64_t seed) {
    rate_ = rate;
    rng_.seed(seed);
}

const Bytes* MemoryRemote::peek(std::string_view name) const {
    auto it = files_.find(name);
    return it == files_.end() ? nullptr : &it->second.bytes;
}

void MemoryRemote::set(std::string_view name, Bytes bytes) { store(name, std::move(bytes)); }

uint64_t MemoryRemote::bytes_stored() const {
    uint64_t n = 0;
    for (const auto& [name, f] : files_) n += f.bytes.size();
    return n;
}

}  // namespace crm::sync
