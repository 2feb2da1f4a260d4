// A sync operation (a round, creating or joining a team) is written as plain straight-line
// code that pauses at each remote call: a C++20 coroutine. The same code then runs
// synchronously over a C++ Remote (run(): tests, benchmarks) and asynchronously in the
// browser, where JS performs each call with fetch() between frames and hands back the
// answer (platform/web_sync.cpp). The sync code never knows which.
//
//   Task<Status> publish(Workspace& ws, Team team) {
//       auto got = co_await remote_get(name);     // pauses until the answer is there
//       if (!got) co_return got.error();
//       ...
//   }
//   Job<Status> job(publish(ws, team));           // runs to its first remote call
//   while (const RemoteCall* call = job.pending()) job.answer(perform(remote, *call));
//   Status s = job.take_result();
//
// Parameters of a Task live in its frame while it waits. A job's root takes values (Team);
// a sub-task, co_awaited at once, takes const references to its caller's named locals.
// No temporaries in a co_await's operands, no co_await inside ?: — GCC 12 destroys such
// temporaries twice.
#pragma once
#include <cstdlib>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "sync/remote.h"

// Emscripten 3.1.6 ships libc++ 13, which has coroutines only as <experimental/coroutine>;
// its clang 14 accepts them in C++20 with a deprecation warning (for the whole file, as the
// coroutines that trigger it are written in the files that include this one).
#if __has_include(<coroutine>)
#include <coroutine>
namespace crm::sync::co {
using std::coroutine_handle, std::suspend_always;
}
#else
#pragma clang diagnostic ignored "-Wdeprecated-experimental-coroutine"
#include <experimental/coroutine>
namespace crm::sync::co {
using std::experimental::coroutine_handle, std::experimental::suspend_always;
}
#endif

namespace crm::sync {

// One remote operation a job waits for, and its answer.
struct RemoteCall {
    enum class Op { List, Get, PutNew, PutIfMatch, Remove };
    Op op = Op::Get;
    std::string name;  // the file; for List, the prefix
    Bytes bytes;       // PutNew, PutIfMatch
    std::string etag;  // PutIfMatch
};

struct RemoteAnswer {
    std::optional<Error> error;     // the call failed: kRemoteMissing, kRemoteUnavailable, ...
    std::vector<RemoteFile> files;  // List
    Bytes bytes;                    // Get
    std::string etag;               // Get, PutNew, PutIfMatch
};

// Performs a call on a C++ Remote.
RemoteAnswer perform(Remote& remote, RemoteCall call);

// A call as JS performs it (web/sync_remote.js performCall): its op's name ("list", "get",
// "put_new", "put_if_match", "remove"), and the answer read back from performCall's JSON ({files} /
// {etag} / {error, detail}) with the bytes a get returned.
const char* op_name(RemoteCall::Op op);
RemoteAnswer answer_from_json(std::string_view json, Bytes bytes);

namespace detail {
// Shared by every coroutine of one job: the call in flight, who waits for it, and the
// coroutine to run next. Every resume happens in drive()'s loop, never nested in another
// coroutine: wasm without the tail-call feature cannot do symmetric transfer.
struct Pending {
    RemoteCall call;
    RemoteAnswer answer;
    co::coroutine_handle<> waiting;  // made `call`
    co::coroutine_handle<> next;     // a sub-task to start, or a finished one's parent
};

inline void drive(Pending& p) {
    while (co::coroutine_handle<> h = std::exchange(p.next, {})) h.resume();
}
}  // namespace detail

// A coroutine returning T. co_await a Task from another Task to run it inside that one.
template <class T>
class [[nodiscard]] Task {
public:
    struct promise_type {
        std::optional<T> value;
        detail::Pending* pending = nullptr;
        co::coroutine_handle<> continuation;  // the task awaiting this one; none for a job's root

        Task get_return_object() { return Task(co::coroutine_handle<promise_type>::from_promise(*this)); }
        co::suspend_always initial_suspend() noexcept { return {}; }
        auto final_suspend() noexcept {
            struct ParentNext {  // the parent (if any) runs next; this frame waits to be destroyed
                bool await_ready() noexcept { return false; }
                void await_suspend(co::coroutine_handle<promise_type> h) noexcept {
                    h.promise().pending->next = h.promise().continuation;
                }
                void await_resume() noexcept {}
            };
            return ParentNext{};
        }
        void return_value(T v) { value.emplace(std::move(v)); }
        void unhandled_exception() { std::abort(); }  // built without exceptions
    };

    Task(Task&& other) noexcept : h_(std::exchange(other.h_, {})) {}
    Task& operator=(Task&& other) noexcept {
        if (this != &other) {
            if (h_) h_.destroy();
            h_ = std::exchange(other.h_, {});
        }
        return *this;
    }
    Task(const Task&) = delete;
    ~Task() {
        if (h_) h_.destroy();
    }

    // Awaited by a parent task: this one runs next, sharing the parent's pending call.
    bool await_ready() { return false; }
    template <class P>
    void await_suspend(co::coroutine_handle<P> parent) {
        h_.promise().pending = parent.promise().pending;
        h_.promise().continuation = parent;
        h_.promise().pending->next = h_;
    }
    T await_resume() { return std::move(*h_.promise().value); }

private:
    explicit Task(co::coroutine_handle<promise_type> h) : h_(h) {}
    co::coroutine_handle<promise_type> h_;
    template <class>
    friend class Job;
};

// The root task of one operation, driven by whoever performs its remote calls.
template <class T>
class Job {
public:
    explicit Job(Task<T> root) : root_(std::move(root)), pending_(std::make_unique<detail::Pending>()) {
        root_.h_.promise().pending = pending_.get();
        pending_->next = root_.h_;
        detail::drive(*pending_);  // up to the first remote call (or to the end)
    }
    // The call the job waits for; nullptr once it has finished.
    const RemoteCall* pending() const { return root_.h_.done() ? nullptr : &pending_->call; }
    // Hands the answer to the waiting call and runs on to the next call or the end.
    void answer(RemoteAnswer a) {
        pending_->answer = std::move(a);
        pending_->next = std::exchange(pending_->waiting, {});
        detail::drive(*pending_);
    }
    T take_result() { return std::move(*root_.h_.promise().value); }

private:
    Task<T> root_;
    std::unique_ptr<detail::Pending> pending_;
};

// Runs a task to its end over a C++ Remote.
template <class T>
T run(Task<T> task, Remote& remote) {
    Job<T> job(std::move(task));
    while (const RemoteCall* call = job.pending()) job.answer(perform(remote, *call));
    return job.take_result();
}

namespace detail {
template <class R>
struct CallAwaiter {
    RemoteCall call;
    Pending* pending = nullptr;

    bool await_ready() { return false; }
    template <class P>
    void await_suspend(co::coroutine_handle<P> h) {  // nothing runs next: back to whoever drives the job
        pending = h.promise().pending;
        pending->call = std::move(call);
        pending->waiting = h;
    }
    Result<R> await_resume() {
        RemoteAnswer a = std::move(pending->answer);
        if (a.error) return *a.error;
        if constexpr (std::is_same_v<R, std::vector<RemoteFile>>) return std::move(a.files);
        else if constexpr (std::is_same_v<R, Fetched>) return Fetched{std::move(a.bytes), std::move(a.etag)};
        else return std::move(a.etag);
    }
};
}  // namespace detail

// The five remote operations of remote.h, to co_await inside a Task.
inline detail::CallAwaiter<std::vector<RemoteFile>> remote_list(std::string prefix) {
    return {{RemoteCall::Op::List, std::move(prefix), {}, {}}};
}
inline detail::CallAwaiter<Fetched> remote_get(std::string name) {
    return {{RemoteCall::Op::Get, std::move(name), {}, {}}};
}
inline detail::CallAwaiter<std::string> remote_put_new(std::string name, Bytes bytes) {
    return {{RemoteCall::Op::PutNew, std::move(name), std::move(bytes), {}}};
}
inline detail::CallAwaiter<std::string> remote_put_if_match(std::string name, Bytes bytes, std::string etag) {
    return {{RemoteCall::Op::PutIfMatch, std::move(name), std::move(bytes), std::move(etag)}};
}
// (its value is an empty string: a remove has no ETag to return)
inline detail::CallAwaiter<std::string> remote_remove(std::string name) {
    return {{RemoteCall::Op::Remove, std::move(name), {}, {}}};
}

}  // namespace crm::sync
