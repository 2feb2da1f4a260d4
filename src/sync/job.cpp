#include "sync/job.h"

#include <nlohmann/json.hpp>

namespace crm::sync {

RemoteAnswer perform(Remote& remote, RemoteCall call) {
    RemoteAnswer a;
    auto fail = [&](const Error& e) { a.error = e; };
    switch (call.op) {
    case RemoteCall::Op::List:
        if (auto r = remote.list(call.name)) a.files = std::move(*r); else fail(r.error());
        break;
    case RemoteCall::Op::Get:
        if (auto r = remote.get(call.name)) {
            a.bytes = std::move(r->bytes);
            a.etag = std::move(r->etag);
        } else {
            fail(r.error());
        }
        break;
    case RemoteCall::Op::PutNew:
        if (auto r = remote.put_new(call.name, call.bytes)) a.etag = std::move(*r); else fail(r.error());
        break;
    case RemoteCall::Op::PutIfMatch:
        if (auto r = remote.put_if_match(call.name, call.bytes, call.etag)) a.etag = std::move(*r); else fail(r.error());
        break;
    case RemoteCall::Op::Remove:
        if (auto r = remote.remove(call.name); !r) fail(r.error());
        break;
    }
    return a;
}

const char* op_name(RemoteCall::Op op) {
    static const char* const kNames[] = {"list", "get", "put_new", "put_if_match", "remove"};
    return kNames[static_cast<int>(op)];
}

RemoteAnswer answer_from_json(std::string_view json, Bytes bytes) {
    RemoteAnswer a;
    a.bytes = std::move(bytes);
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) {
        a.error = make_error(kRemoteUnavailable, {}, "unreadable answer from the page");
    } else if (j.contains("error")) {
        a.error = make_error(j.value("error", kRemoteUnavailable), {}, j.value("detail", ""));
    } else {
        a.etag = j.value("etag", "");
        for (const auto& f : j.value("files", nlohmann::json::array()))
            a.files.push_back({f.value("name", ""), f.value("etag", ""), f.value("size", uint64_t{0})});
    }
    return a;
}

}  // namespace crm::sync
