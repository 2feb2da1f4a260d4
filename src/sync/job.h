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
#include <coroutine>
#include <cstdlib>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "sync/remote.h"

namespace crm::sync {

// One remote operation a job waits for, and its answer.
struct RemoteCall {
    enum class Op { List, Get, PutNew, PutIfMatch };
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

namespace detail {
// Shared by every coroutine of one job: the call in flight and who waits for it.
struct Pending {
    RemoteCall call;
    RemoteAnswer answer;
    std::coroutine_handle<> waiting;
};
}  // namespace detail

// A coroutine returning T. co_await a Task from another Task to run it inside that one.
template <class T>
class [[nodiscard]] Task {
public:
    struct promise_type {
        std::optional<T> value;
        detail::Pending* pending = nullptr;
        std::coroutine_handle<> continuation;  // the task awaiting this one; none for a job's root

        Task get_return_object() { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }
        auto final_suspend() noexcept {
            struct ResumeAwaiter {
                bool await_ready() noexcept { return false; }
                std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
                    auto next = h.promise().continuation;
                    return next ? next : std::noop_coroutine();
                }
                void await_resume() noexcept {}
            };
            return ResumeAwaiter{};
        }
        void return_value(T v) { value.emplace(std::move(v)); }
        void unhandled_exception() { std::abort(); }  // built without exceptions
    };

    Task(Task&& other) noexcept : h_(std::exchange(other.h_, {})) {}
    Task& operator=(Task&&) = delete;
    Task(const Task&) = delete;
    ~Task() {
        if (h_) h_.destroy();
    }

    // Awaited by a parent task: starts this one, sharing the parent's pending call.
    bool await_ready() { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) {
        h_.promise().pending = parent.promise().pending;
        h_.promise().continuation = parent;
        return h_;
    }
    T await_resume() { return std::move(*h_.promise().value); }

private:
    explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
    std::coroutine_handle<promise_type> h_;
    template <class>
    friend class Job;
};

// The root task of one operation, driven by whoever performs its remote calls.
template <class T>
class Job {
public:
    explicit Job(Task<T> root) : root_(std::move(root)), pending_(std::make_unique<detail::Pending>()) {
        root_.h_.promise().pending = pending_.get();
        root_.h_.resume();  // runs up to the first remote call (or to the end)
    }
    // The call the job waits for; nullptr once it has finished.
    const RemoteCall* pending() const { return root_.h_.done() ? nullptr : &pending_->call; }
    // Hands the answer to the waiting call and runs on to the next call or the end.
    void answer(RemoteAnswer a) {
        pending_->answer = std::move(a);
        std::exchange(pending_->waiting, {}).resume();
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
    void await_suspend(std::coroutine_handle<P> h) {  // back to the job's driver
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

// The four remote operations of remote.h, to co_await inside a Task.
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

}  // namespace crm::sync
