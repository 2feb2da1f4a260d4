// [SECTION] Bridge declarations
// [SECTION] Frame pacing
// [SECTION] Exports: start, frame, resize
// [SECTION] Exports: input (pointer, touch gestures, keys, text, clipboard)
// [SECTION] Exports: test contract
#include "platform/web_host.h"

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <GLES3/gl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "app/app_main.h"
#include "platform/gl_renderer.h"
#include "ui/app.h"
#include "ui/fonts.h"
#include "ui/test_registry.h"
#include "ui/input.h"

// [SECTION] Bridge declarations --------------------------------------------------------------
extern "C" {
void crm_js_request_frame();
void crm_js_set_text_input(int active);
void crm_js_clipboard_write(const char* text);
void crm_js_push_route(const char* route, int replace);
void crm_js_open_url(const char* url);
void crm_js_save_preference(const char* key, const char* value);
void crm_js_download(const char* name, const uint8_t* bytes, int size);
void crm_js_pick_file(const char* accept);
void crm_js_set_unsaved(int unsaved);
void crm_js_sync_place(const char* action, const char* remote);
void crm_js_sync_call(const char* remote, const char* op, const char* name, const char* etag, const uint8_t* bytes,
                      int size);
}

namespace crm::platform {
void request_frame() { crm_js_request_frame(); }
void set_text_input(bool active) { crm_js_set_text_input(active); }
void clipboard_write(const std::string& text) { crm_js_clipboard_write(text.c_str()); }
void push_route(const std::string& route, bool replace) { crm_js_push_route(route.c_str(), replace); }
void open_url(const std::string& url) { crm_js_open_url(url.c_str()); }
void download(const std::string& name, const std::vector<uint8_t>& bytes) {
    crm_js_download(name.c_str(), bytes.data(), static_cast<int>(bytes.size()));
}
void pick_file(const std::string& accept) { crm_js_pick_file(accept.c_str()); }
void remote_call(const std::string& remote, const sync::RemoteCall& call) {
    crm_js_sync_call(remote.c_str(), sync::op_name(call.op), call.name.c_str(), call.etag.c_str(),
                     call.bytes.data(), static_cast<int>(call.bytes.size()));
}
void sync_place(const std::string& action, const std::string& remote) {
    crm_js_sync_place(action.c_str(), remote.c_str());
}
void save_preference(const std::string& key, const std::string& value) {
    crm_js_save_preference(key.c_str(), value.c_str());
}
}  // namespace crm::platform

namespace {

struct Host {
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
    std::unique_ptr<crm::ui::App> app;
    crm::ui::FontFiles fonts;
    float css_w = 0, css_h = 0, dpr = 1;
    double last_time_ms = 0;
    int frames_left = 0;  // frames still to draw after the last event
    int frame_count = 0;
    double last_input_ms = 0;
    bool text_input_active = false;
    bool fonts_dirty = false;
    bool unsaved = false;      // last told to the page (crm_js_set_unsaved)
    std::string clipboard;
    std::string scratch;  // keeps strings returned to JS alive until the next call
    size_t demo_customers = 0;  // crm_set_demo_customers
};
Host host;

// [SECTION] Frame pacing ------------------------------------------------------------------------
// Draw three more frames after every event: ImGui needs a frame to react, one to settle hover
// and one to show the result. Then stop until the next event (battery).
void wake(int frames = 3) {
    host.last_input_ms = emscripten_get_now();  // every event counts as activity (auto-lock)
    if (host.frames_left < frames) host.frames_left = frames;
    crm::platform::request_frame();
}

const char* get_clipboard(void*) { return host.clipboard.c_str(); }
void set_clipboard(void*, const char* text) {
    host.clipboard = text ? text : "";
    crm::platform::clipboard_write(host.clipboard);
}

void apply_canvas_size() {
    emscripten_set_canvas_element_size("#canvas", (int)std::lround(host.css_w * host.dpr),
                                       (int)std::lround(host.css_h * host.dpr));
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(host.css_w, host.css_h);
    io.DisplayFramebufferScale = ImVec2(host.dpr, host.dpr);
}

void rebuild_fonts() {
    crm::ui::fonts_build(host.fonts, host.app ? host.app->text_size() : 16.0f, host.dpr);
    crm::platform::renderer_upload_fonts();
    host.fonts_dirty = false;
}

EM_BOOL on_context_lost(int, const void*, void*) {
    crm::platform::renderer_forget();
    return EM_TRUE;
}
EM_BOOL on_context_restored(int, const void*, void*) {
    crm::platform::renderer_init();
    host.fonts_dirty = true;
    wake();
    return EM_TRUE;
}

}  // namespace

extern "C" {

// [SECTION] Exports: start, frame, resize -------------------------------------------------------
// Font files arrive before start; `which`: 0 Latin UI font, 1 CJK font, 2 list of CJK chars.
// Takes ownership of `data` (allocated with malloc by the page).
EMSCRIPTEN_KEEPALIVE void crm_set_font(int which, unsigned char* data, int size) {
    host.fonts.set(which, data, size);
}

// ?demo=N: a new demo workspace gets N sample customers (the frame benchmark's 100k list).
EMSCRIPTEN_KEEPALIVE void crm_set_demo_customers(int n) { host.demo_customers = n > 0 ? size_t(n) : 0; }

// After the pages are handed over, before crm_start: reads the workspace about one frame's
// time per call; the page calls it until it answers 1, showing the fraction read.
EMSCRIPTEN_KEEPALIVE double crm_read_ahead() { return crm::app::read_ahead(); }

EMSCRIPTEN_KEEPALIVE int crm_start(float css_w, float css_h, float dpr, const char* lang, const char* route) {
    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.alpha = EM_FALSE;
    attrs.antialias = EM_FALSE;
    attrs.depth = EM_FALSE;
    attrs.stencil = EM_FALSE;
    attrs.preserveDrawingBuffer = EM_TRUE;  // screenshots of an idle app still show the last frame
    host.gl = emscripten_webgl_create_context("#canvas", &attrs);
    if (host.gl <= 0) return 1;
    emscripten_webgl_make_context_current(host.gl);
    emscripten_set_webglcontextlost_callback("#canvas", nullptr, EM_FALSE, on_context_lost);
    emscripten_set_webglcontextrestored_callback("#canvas", nullptr, EM_FALSE, on_context_restored);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is ours, not a saved ini
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would keep an idle app drawing
    io.GetClipboardTextFn = get_clipboard;
    io.SetClipboardTextFn = set_clipboard;
    io.BackendPlatformName = "crm_web";
    io.BackendRendererName = "crm_webgl2";

    host.css_w = css_w;
    host.css_h = css_h;
    host.dpr = dpr;
    apply_canvas_size();
    if (!crm::platform::renderer_init()) return 2;

    host.app = crm::app::create_app(lang ? lang : "", route ? route : "", host.demo_customers);
    if (!host.app) return 3;
    rebuild_fonts();
    wake();
    return 0;
}

// Draws one frame. Returns how many more frames the app wants (0 = idle until an event).
EMSCRIPTEN_KEEPALIVE int crm_frame(double now_ms) {
    if (!host.app) return 0;
    ImGuiIO& io = ImGui::GetIO();
    double dt = host.last_time_ms > 0 ? (now_ms - host.last_time_ms) / 1000.0 : 1.0 / 60.0;
    io.DeltaTime = (float)std::fmin(std::fmax(dt, 1.0 / 240.0), 0.25);
    host.last_time_ms = now_ms;
    if (host.fonts_dirty || host.app->fonts_changed()) rebuild_fonts();

    crm::ui::test_registry_begin_frame();
    ImGui::NewFrame();
    crm::ui::touch_update(io.DeltaTime);
    host.app->frame();
    if (host.app->has_unsaved_edits() != host.unsaved) {
        host.unsaved = !host.unsaved;
        crm_js_set_unsaved(host.unsaved);
    }
    ImGui::Render();
    crm::ui::test_registry_end_frame();
    glClearColor(0.96f, 0.97f, 0.98f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    crm::platform::renderer_draw(ImGui::GetDrawData(), host.dpr);
    ++host.frame_count;

    if (io.WantTextInput != host.text_input_active) {
        host.text_input_active = io.WantTextInput;
        crm::platform::set_text_input(host.text_input_active);
    }
    if (host.frames_left > 0) --host.frames_left;
    // ImGui trickles queued input one transition per frame; animations need frames too.
    bool busy = ImGui::GetCurrentContext()->InputEventsQueue.Size > 0 || crm::ui::touch_animating() ||
                host.app->animating();
    if (busy && host.frames_left < 1) host.frames_left = 1;
    return host.frames_left;
}

EMSCRIPTEN_KEEPALIVE void crm_resize(float css_w, float css_h, float dpr) {
    if (!host.app) return;
    bool dpr_changed = dpr != host.dpr;
    host.css_w = css_w;
    host.css_h = css_h;
    host.dpr = dpr;
    apply_canvas_size();
    if (dpr_changed) host.fonts_dirty = true;  // re-rasterize for sharp text
    wake();
}

// [SECTION] Exports: input ---------------------------------------------------------------------
// type: 0 move, 1 down, 2 up, 3 cancel. Coordinates in CSS px relative to the canvas.
EMSCRIPTEN_KEEPALIVE void crm_pointer(int type, int button, float x, float y, int is_touch, double time_ms) {
    if (!host.app) return;
    ImGuiIO& io = ImGui::GetIO();
    if (is_touch) {
        switch (type) {
            case 0: crm::ui::touch_move(x, y, time_ms); break;
            case 1: crm::ui::touch_down(x, y, time_ms); break;
            case 2: crm::ui::touch_up(x, y, time_ms); break;
            default: crm::ui::touch_cancel(); break;
        }
    } else {
        io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
        io.AddMousePosEvent(x, y);
        if (type == 1 || type == 2) io.AddMouseButtonEvent(button, type == 1);
    }
    wake();
}

EMSCRIPTEN_KEEPALIVE void crm_long_press(float x, float y) {
    if (!host.app) return;
    crm::ui::touch_long_press(x, y);
    wake();
}

EMSCRIPTEN_KEEPALIVE void crm_wheel(float dx, float dy) {
    if (!host.app) return;
    ImGui::GetIO().AddMouseWheelEvent(dx, dy);
    wake();
}

// key: a DOM KeyboardEvent.key name ("Backspace", "ArrowLeft", "a", ...); mods: 1 ctrl, 2 shift, 4 alt, 8 meta.
EMSCRIPTEN_KEEPALIVE void crm_key(const char* key, int down, int mods) {
    if (!host.app) return;
    ImGuiIO& io = ImGui::GetIO();
    io.AddKeyEvent(ImGuiMod_Ctrl, (mods & 1) || (mods & 8));  // Cmd acts as Ctrl for shortcuts
    io.AddKeyEvent(ImGuiMod_Shift, mods & 2);
    io.AddKeyEvent(ImGuiMod_Alt, mods & 4);
    ImGuiKey k = crm::ui::key_from_dom(key);
    if (k != ImGuiKey_None) io.AddKeyEvent(k, down != 0);
    wake();
}

// Committed text from the hidden textarea (typing, IME commits, paste on tablets).
EMSCRIPTEN_KEEPALIVE void crm_text(const char* utf8) {
    if (!host.app || !utf8) return;
    ImGui::GetIO().AddInputCharactersUTF8(utf8);
    wake();
}

EMSCRIPTEN_KEEPALIVE void crm_focus(int focused) {
    if (!host.app) return;
    ImGui::GetIO().AddFocusEvent(focused != 0);
    wake();
}

// The page read this text from a paste event (or a Paste action); ImGui pastes from here.
EMSCRIPTEN_KEEPALIVE void crm_set_clipboard(const char* utf8) { host.clipboard = utf8 ? utf8 : ""; }

// The page calls this every few seconds (and tests with a time in the future): an
// encrypted workspace locks itself after the chosen idle time.
EMSCRIPTEN_KEEPALIVE void crm_idle_check(double now_ms) {
    if (host.app && host.app->lock_if_idle(now_ms - host.last_input_ms)) wake();
}

EMSCRIPTEN_KEEPALIVE void crm_navigate(const char* route) {
    if (!host.app) return;
    host.app->navigate(route ? route : "", /*from_browser=*/true);
    wake();
}

// The file the user chose in the picker (host.pick_file). Takes ownership of `data`.
EMSCRIPTEN_KEEPALIVE void crm_file_picked(const char* name, uint8_t* data, int size) {
    std::vector<uint8_t> bytes(data, data + size);
    std::free(data);
    if (host.app) host.app->file_picked(name ? name : "", std::move(bytes));
    wake();
}

// The answer to a sync job's remote call (platform::remote_call): JSON {error, detail} or
// {etag, files: [{name, etag, size}]}, and the bytes a get returned. Takes ownership of `data`.
EMSCRIPTEN_KEEPALIVE void crm_sync_answered(const char* json, uint8_t* data, int size) {
    crm::sync::RemoteAnswer a = crm::sync::answer_from_json(json ? json : "", crm::sync::Bytes(data, data + size));
    std::free(data);
    if (host.app) host.app->remote_answered(std::move(a));
    wake();
}

// What the page did for platform::sync_place, or what it can do (JSON, App::sync_place_done).
EMSCRIPTEN_KEEPALIVE void crm_sync_place_done(const char* json) {
    if (host.app) host.app->sync_place_done(json ? json : "");
    wake();
}

// Every minute, and when the device comes back online: the app syncs if it should.
EMSCRIPTEN_KEEPALIVE void crm_sync_tick(int back_online) {
    if (host.app) host.app->auto_sync(back_online != 0);
    wake();
}

// [SECTION] Exports: test contract --------------------------------------------------------------
EMSCRIPTEN_KEEPALIVE const char* crm_test_items(int text_fields_only) {
    host.scratch = text_fields_only ? crm::ui::test_registry_text_fields_json() : crm::ui::test_registry_json();
    return host.scratch.c_str();
}
EMSCRIPTEN_KEEPALIVE int crm_test_frame_count() { return host.frame_count; }
EMSCRIPTEN_KEEPALIVE const char* crm_test_integrity() {
    host.scratch = host.app ? host.app->integrity_check() : "no app";
    return host.scratch.c_str();
}
// One small edit (one commit), for bursts of saves; 0 when it was made.
EMSCRIPTEN_KEEPALIVE int crm_test_edit() {
    if (!host.app) return 1;
    const bool ok = host.app->test_edit().ok();
    wake();
    return ok ? 0 : 1;
}
EMSCRIPTEN_KEEPALIVE const char* crm_test_state() {
    host.scratch = host.app ? host.app->state_json() : "{}";
    return host.scratch.c_str();
}

}  // extern "C"
