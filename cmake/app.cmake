# The browser app (wasm only): Dear ImGui from Debian's source package, our WebGL2 renderer
# and browser seam, the screens, and web/ copied next to the linked app.js/app.wasm.
set(IMGUI_DIR ${DEPS}/imgui)
add_library(imgui STATIC
  ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_tables.cpp
  ${IMGUI_DIR}/imgui_widgets.cpp ${IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp)
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR} ${IMGUI_DIR}/misc/cpp)
target_include_directories(imgui PUBLIC ${CMAKE_SOURCE_DIR}/src)
# Our imconfig: 32-bit indices (WebGL has no vertex offset) and the test-engine hooks that
# publish every widget to window.crm.test, always on.
target_compile_definitions(imgui PUBLIC IMGUI_USER_CONFIG="ui/imconfig_crm.h")
target_compile_options(imgui PRIVATE -w)

# Shaders and translation tables, embedded at build time.
file(GLOB SHADER_FILES RELATIVE ${CMAKE_SOURCE_DIR}/shaders CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/shaders/*.glsl)
file(GLOB_RECURSE I18N_FILES RELATIVE ${CMAKE_SOURCE_DIR}/assets/i18n CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/assets/i18n/*.json)
function(crm_embed out name root files)
  set(deps "")
  foreach(f ${files})
    list(APPEND deps ${root}/${f})
  endforeach()
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${name} -DROOT=${root} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${deps} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake VERBATIM)
endfunction()
crm_embed(${CMAKE_BINARY_DIR}/gen/shaders.cpp kShaderFiles ${CMAKE_SOURCE_DIR}/shaders "${SHADER_FILES}")
crm_embed(${CMAKE_BINARY_DIR}/gen/i18n.cpp kTranslationFiles ${CMAKE_SOURCE_DIR}/assets/i18n "${I18N_FILES}")

file(GLOB UI_SOURCES CONFIGURE_DEPENDS src/ui/*.cpp)
file(GLOB PLATFORM_SOURCES CONFIGURE_DEPENDS src/platform/*.cpp)
add_executable(app src/app/app_main.cpp ${UI_SOURCES} ${PLATFORM_SOURCES}
  ${CMAKE_BINARY_DIR}/gen/shaders.cpp ${CMAKE_BINARY_DIR}/gen/i18n.cpp)
target_link_libraries(app PRIVATE crm_sync imgui)
target_compile_options(app PRIVATE ${WARNINGS})
set(APP_EXPORTS _malloc _free _crm_start _crm_frame _crm_resize _crm_pointer _crm_wheel
  _crm_key _crm_text _crm_focus _crm_long_press _crm_set_font _crm_set_clipboard
  _crm_test_items _crm_test_frame_count _crm_test_state _crm_navigate)
string(REPLACE ";" "," APP_EXPORTS_CSV "${APP_EXPORTS}")
target_link_options(app PRIVATE
  --no-entry -sENVIRONMENT=web -sMODULARIZE=1 -sEXPORT_NAME=createCrmModule
  -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=67108864
  -sMAXIMUM_MEMORY=4GB -sTOTAL_STACK=1048576 -sINVOKE_RUN=0
  -sEXPORTED_FUNCTIONS=${APP_EXPORTS_CSV}
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8,HEAPU8
  --js-library ${CMAKE_SOURCE_DIR}/src/platform/web_bridge.js)
set_target_properties(app PROPERTIES SUFFIX ".js" LINK_DEPENDS ${CMAKE_SOURCE_DIR}/src/platform/web_bridge.js)

# build/web: the deployable static folder (page, glue, service worker, fonts, app.js/.wasm).
set(WEB_OUT ${CMAKE_SOURCE_DIR}/build/web)
file(GLOB WEB_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/*)
add_custom_target(web ALL
  COMMAND ${CMAKE_COMMAND} -E make_directory ${WEB_OUT}/fonts
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${WEB_FILES} ${WEB_OUT}/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${DEPS}/fonts/ui-latin.ttf ${DEPS}/fonts/ui-cjk.ttf ${DEPS}/fonts/ui-cjk.txt ${WEB_OUT}/fonts/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${DEPS}/icons/icon-192.png ${DEPS}/icons/icon-512.png ${WEB_OUT}/
  COMMAND ${CMAKE_COMMAND} -E copy_if_different $<TARGET_FILE_DIR:app>/app.js $<TARGET_FILE_DIR:app>/app.wasm ${WEB_OUT}/
  COMMAND ${CMAKE_COMMAND} -DWEB_OUT=${WEB_OUT} -P ${CMAKE_SOURCE_DIR}/cmake/stamp_version.cmake
  DEPENDS app ${WEB_FILES} VERBATIM)

# ---- The IndexedDB benchmark page (bench/browser; scripts/bench.sh runs it in Chromium) ----
add_executable(bench_browser bench/browser/bench_browser.cpp src/platform/web_page_store.cpp)
target_link_libraries(bench_browser PRIVATE crm_sync)
target_compile_options(bench_browser PRIVATE ${WARNINGS})
target_link_options(bench_browser PRIVATE
  --no-entry -sENVIRONMENT=web -sMODULARIZE=1 -sEXPORT_NAME=createBenchModule
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sTOTAL_STACK=1048576
  -sEXPORTED_FUNCTIONS=_malloc,_free
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8,HEAPU8
  --js-library ${CMAKE_SOURCE_DIR}/src/platform/web_bridge.js)
set_target_properties(bench_browser PROPERTIES SUFFIX ".js" EXCLUDE_FROM_ALL TRUE)

# ---- Sync through serve.py (bench/sync_http; scripts/bench.sh bench_sync_http runs it) -----
# Two devices in one module for node; bench/sync_http/run.mjs performs their remote calls
# with web/sync_remote.js over HTTP. No native build: the point is the page's path.
add_executable(bench_sync_http bench/sync_http/bench_sync_http.cpp)
target_link_libraries(bench_sync_http PRIVATE crm_sync)
target_compile_options(bench_sync_http PRIVATE ${WARNINGS})
target_link_options(bench_sync_http PRIVATE
  -sENVIRONMENT=node -sMODULARIZE=1 -sEXPORT_NAME=createBenchModule
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sTOTAL_STACK=1048576
  -sEXPORTED_FUNCTIONS=_malloc,_free,_bench_open,_bench_make_changes,_bench_start,_bench_call,_bench_call_bytes,_bench_answer,_bench_outcome,_bench_state
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8,HEAPU8)
set_target_properties(bench_sync_http PROPERTIES SUFFIX ".js" EXCLUDE_FROM_ALL TRUE)
