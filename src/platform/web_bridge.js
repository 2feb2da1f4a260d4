// Calls from C++ into the page. Each forwards to window.crmHost (set up by web/crm.js), so
// the page owns every DOM detail and this file stays a thin list of entry points.
mergeInto(LibraryManager.library, {
  crm_js_request_frame: function () { Module.crmHost.requestFrame(); },
  crm_js_set_text_input: function (active) { Module.crmHost.setTextInput(!!active); },
  crm_js_clipboard_write: function (text) { Module.crmHost.clipboardWrite(UTF8ToString(text)); },
  crm_js_push_route: function (route, replace) { Module.crmHost.pushRoute(UTF8ToString(route), !!replace); },
  crm_js_save_preference: function (key, value) {
    Module.crmHost.savePreference(UTF8ToString(key), UTF8ToString(value));
  },
  crm_js_open_url: function (url) { Module.crmHost.openUrl(UTF8ToString(url)); },
});
