// The one error type of the project. Errors are values, never exceptions across layers.
// An Error carries an i18n key (translated at the UI edge through assets/i18n) plus the
// field it concerns and named parameters, so a message can name the field and the fix.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace crm {

struct Error {
    std::string code;   // i18n key, e.g. "err.phone.mobile_format"
    std::string field;  // i18n key of the field concerned ("field.customer.name"), may be empty
    std::vector<std::pair<std::string, std::string>> params;  // {name} placeholders in the message
    std::string detail; // untranslated technical detail for logs (SQLite message, ...)

    Error& with(std::string name, std::string value) {
        params.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

inline Error make_error(std::string code, std::string field = {}, std::string detail = {}) {
    return Error{std::move(code), std::move(field), {}, std::move(detail)};
}

// Result<T>: a value or an Error. Result<void> for operations with no value.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const Error& error() const { return std::get<1>(v_); }
private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : e_(std::move(error)) {}
    bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *e_; }
private:
    std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace crm
