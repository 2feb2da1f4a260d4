#include "sync/job.h"

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
    }
    return a;
}

}  // namespace crm::sync
