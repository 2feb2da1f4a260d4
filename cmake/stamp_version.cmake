# Writes build/web/version.txt: a hash of app.wasm, app.js and the page, used by the service
# worker as its cache name so a new build replaces the cached app.
set(h "")
foreach(f app.wasm app.js index.html crm.js sw.js)
  if(EXISTS ${WEB_OUT}/${f})
    file(SHA256 ${WEB_OUT}/${f} fh)
    string(APPEND h ${fh})
  endif()
endforeach()
string(SHA256 v "${h}")
string(SUBSTRING ${v} 0 16 v)
file(WRITE ${WEB_OUT}/version.txt "${v}")
