#!/usr/bin/env bash
# Installs and builds every third-party dependency once, caching it under build/_deps.
# Safe to run again: each step is skipped when its output is already there.
# Nothing here writes a package registry's address: apt's own configuration names it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS=$ROOT/build/_deps
mkdir -p "$DEPS"
log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# ---- Debian binary packages -------------------------------------------------------------
PACKAGES=(emscripten chromium libsodium-dev nlohmann-json3-dev doctest-dev libxlsxwriter-dev zlib1g-dev
  fonts-droid-fallback fonts-noto-core python3-fonttools tcl autoconf automake libtool
  pkg-config dpkg-dev clang libclang-rt-14-dev cmake g++ make apache2 xz-utils
  zbar-tools)   # zbarimg: the tests read the invite's QR code back
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn

# ---- Debian source packages (current stable): Dear ImGui, SQLite, libsodium ------------
SRC=$DEPS/src
if [ ! -f "$SRC/.fetched" ]; then
  log "fetching Debian source packages (imgui, sqlite3, libsodium)"
  URI=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  A=$DEPS/apt; mkdir -p "$A/etc" "$A/lists/partial" "$A/cache/archives/partial" "$SRC"
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$URI" > "$A/etc/trixie.sources"
  APT=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$A/etc" -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A/cache")
  apt-get "${APT[@]}" update -qq
  (cd "$SRC" && apt-get "${APT[@]}" source --download-only imgui sqlite3 libsodium >/dev/null)
  for t in "$SRC"/imgui_*.orig.tar.* "$SRC"/sqlite3_*.orig.tar.* "$SRC"/libsodium_*.orig.tar.*; do
    tar -xf "$t" -C "$SRC"
  done
  touch "$SRC/.fetched"
fi
IMGUI_DIR=$(find "$SRC" -maxdepth 1 -type d -name 'imgui*' | head -1)
SQLITE_SRC=$(find "$SRC" -maxdepth 1 -type d -name 'sqlite*' | head -1)
SODIUM_SRC=$(find "$SRC" -maxdepth 1 -type d -name 'libsodium*' | head -1)
ln -sfn "$IMGUI_DIR" "$DEPS/imgui"

# ---- SQLite amalgamation ------------------------------------------------------------------
if [ ! -f "$DEPS/sqlite/sqlite3.c" ]; then
  log "building the SQLite amalgamation"
  mkdir -p "$DEPS/sqlite/bld"
  (cd "$DEPS/sqlite/bld" && "$SQLITE_SRC/configure" --disable-tcl >/dev/null && make -s sqlite3.c >/dev/null)
  cp "$DEPS/sqlite/bld/sqlite3.c" "$DEPS/sqlite/bld/sqlite3.h" "$DEPS/sqlite/"
fi

# ---- libsodium for wasm (native builds link Debian's libsodium-dev, the same 1.0.18) -----
if [ ! -f "$DEPS/sodium-wasm/lib/libsodium.a" ]; then
  log "building libsodium for wasm (about 3 minutes, once)"
  rm -rf "$DEPS/sodium-bld"; cp -r "$SODIUM_SRC" "$DEPS/sodium-bld"
  (cd "$DEPS/sodium-bld" && ./autogen.sh -s >/dev/null 2>&1 &&
   emconfigure ./configure --host=wasm32-unknown-emscripten --prefix="$DEPS/sodium-wasm" \
     --disable-shared --enable-static --without-pthreads --disable-ssp --disable-asm >/dev/null 2>&1 &&
   emmake make -s -j"$(nproc)" install >/dev/null 2>&1)
  rm -rf "$DEPS/sodium-bld"
fi

# ---- XLSX export for wasm: zlib and libxlsxwriter from bookworm's source packages ----------
# The same versions as the native libxlsxwriter-dev / zlib1g-dev (1.1.4, 1.2.13), built once
# with emcc into build/_deps/xlsx-wasm. libxlsxwriter's own minizip (in its sources) zips.
XLSX_SRC=$DEPS/src-bookworm
if [ ! -f "$XLSX_SRC/.fetched" ]; then
  log "fetching Debian source packages (libxlsxwriter, zlib)"
  URI=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  B=$DEPS/apt-bookworm; mkdir -p "$B/etc" "$B/lists/partial" "$B/cache/archives/partial" "$XLSX_SRC"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$URI" > "$B/etc/bookworm.sources"
  APTB=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$B/etc" -o "Dir::State::Lists=$B/lists" -o "Dir::Cache=$B/cache")
  apt-get "${APTB[@]}" update -qq
  (cd "$XLSX_SRC" && apt-get "${APTB[@]}" source --download-only libxlsxwriter zlib >/dev/null 2>&1)
  for t in "$XLSX_SRC"/libxlsxwriter_*.orig.tar.* "$XLSX_SRC"/zlib_*.orig.tar.*; do
    tar -xf "$t" -C "$XLSX_SRC"
  done
  touch "$XLSX_SRC/.fetched"
fi
if [ ! -f "$DEPS/xlsx-wasm/lib/libxlsxwriter.a" ]; then
  log "building zlib and libxlsxwriter for wasm (about 2 minutes, once)"
  P=$DEPS/xlsx-wasm; mkdir -p "$P/lib" "$P/include"
  Z=$(find "$XLSX_SRC" -maxdepth 1 -type d -name 'zlib-*' | head -1)
  X=$(find "$XLSX_SRC" -maxdepth 1 -type d -name 'libxlsxwriter-*' | head -1)
  (cd "$Z" && emconfigure ./configure --static --prefix="$P" >/dev/null 2>&1 &&
   emmake make -s -j"$(nproc)" libz.a >/dev/null 2>&1 && cp libz.a "$P/lib" && cp zlib.h zconf.h "$P/include")
  rm -rf "$X/bld-wasm" && mkdir "$X/bld-wasm"
  (cd "$X/bld-wasm" && emcmake cmake .. -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$P" \
     -DZLIB_INCLUDE_DIR="$P/include" -DZLIB_LIBRARY="$P/lib/libz.a" -DUSE_STANDARD_TMPFILE=ON >/dev/null 2>&1 &&
   emmake make -s -j"$(nproc)" install >/dev/null 2>&1)
  rm -rf "$X/bld-wasm"
  [ -f "$P/lib/libxlsxwriter.a" ] || { echo "libxlsxwriter for wasm failed to build" >&2; exit 1; }
fi

# ---- libqrencode (the team invite's QR code): Debian's source package, compiled by CMake ----
# Its C files go into both builds (native and wasm) the same way: no library to install.
QR_SRC=$DEPS/src-qrencode
if [ ! -f "$QR_SRC/.fetched" ]; then
  log "fetching Debian source package (qrencode)"
  URI=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  mkdir -p "$QR_SRC"
  fetch_source() {  # suite: trixie, else bookworm (as for libxlsxwriter)
    local Q=$DEPS/apt-qr-$1; mkdir -p "$Q/etc" "$Q/lists/partial" "$Q/cache/archives/partial"
    printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$URI" "$1" > "$Q/etc/$1.sources"
    local APTQ=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$Q/etc" -o "Dir::State::Lists=$Q/lists" -o "Dir::Cache=$Q/cache")
    apt-get "${APTQ[@]}" update -qq && (cd "$QR_SRC" && apt-get "${APTQ[@]}" source --download-only qrencode >/dev/null 2>&1)
  }
  fetch_source trixie || fetch_source bookworm
  tar -xf "$(ls "$QR_SRC"/qrencode_*.orig.tar.* | head -1)" -C "$QR_SRC"
  touch "$QR_SRC/.fetched"
fi
ln -sfn "$(find "$QR_SRC" -maxdepth 1 -type d -name 'qrencode-*' | head -1)" "$DEPS/qrencode"

# ---- Fonts: a Latin UI font merged at runtime with a Chinese subset --------------------
# Always checked: new characters in our sources (translations, demo data) re-cut the subset.
/usr/bin/python3 "$ROOT/scripts/make_fonts.py" "$ROOT" "$DEPS/fonts"

# ---- Home-screen icons (PNG from the same drawing as web/icon.svg) -------------------------
if [ ! -f "$DEPS/icons/icon-512.png" ] || [ "$ROOT/scripts/make_icons.py" -nt "$DEPS/icons/icon-512.png" ]; then
  log "drawing app icons"
  python3 "$ROOT/scripts/make_icons.py" "$DEPS/icons"
fi

# ---- Browser test driver -------------------------------------------------------------------
if [ ! -d "$DEPS/node/node_modules/playwright-core" ]; then
  log "installing playwright-core (drives Debian's Chromium; never downloads a browser)"
  mkdir -p "$DEPS/node"
  (cd "$DEPS/node" && npm install --silent --no-save --no-package-lock --no-audit --no-fund playwright-core@1.64.1 >/dev/null)
fi
log "dependencies ready in build/_deps"
