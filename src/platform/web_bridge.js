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
  // One commit: copies the pages out of wasm memory and queues them for IndexedDB.
  // Pointers arrive as signed 32-bit numbers: >>> 0 reads those past 2 GB right.
  crm_js_store_write: function (meta, pages, size, pageCount) {
    pages >>>= 0;
    const view = new DataView(HEAPU8.buffer);
    const list = [];
    for (let at = pages; at < pages + size;) {
      const n = view.getUint32(at, true), len = view.getUint32(at + 4, true);
      list.push([n, HEAPU8.slice(at + 8, at + 8 + len)]);  // its own buffer: IndexedDB stores whole buffers
      at += 8 + len;
    }
    Module.crmHost.storeWrite(UTF8ToString(meta), list, pageCount);
  },
  crm_js_store_retry: function () { Module.crmHost.storeRetry(); },
  crm_js_download: function (name, bytes, size) {
    bytes >>>= 0;
    Module.crmHost.download(UTF8ToString(name), HEAPU8.slice(bytes, bytes + size));
  },
  crm_js_pick_file: function (accept) { Module.crmHost.pickFile(UTF8ToString(accept)); },
  crm_js_set_unsaved: function (unsaved) { Module.crmHost.setUnsaved(!!unsaved); },
  // What only the page can do for a sync place (pick or allow a folder, send the sync file).
  crm_js_sync_place: function (action, remote) {
    Module.crmHost.syncPlace(UTF8ToString(action), UTF8ToString(remote));
  },
  // One remote call of a sync job; the answer goes back through _crm_sync_answered.
  crm_js_sync_call: function (remote, op, name, etag, bytes, size) {
    bytes >>>= 0;
    Module.crmHost.syncCall(UTF8ToString(remote), UTF8ToString(op), UTF8ToString(name), UTF8ToString(etag),
                            HEAPU8.slice(bytes, bytes + size));
  },

});
