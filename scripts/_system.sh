# Sourced by the other scripts: the Debian packages the app and its tests use beyond Python —
# a CJK font (Chinese in the server-side charts), gettext (compiling the catalogues) and, for
# the test suite, Chromium (browser tests and screenshots) and LibreOffice Writer (the tests
# open the Word documents the app writes: the results notice, a county's report). Installed
# with apt-get when missing and we are root on Debian/Ubuntu; otherwise the script says what
# to install.
system_packages() {
    local missing=()
    fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
    command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
    if [ "${1:-}" = "--with-browser" ] && [ ! -x /usr/bin/chromium ]; then
        missing+=(chromium)
    fi
    if [ "${1:-}" = "--with-browser" ] && ! command -v soffice >/dev/null 2>&1; then
        missing+=(libreoffice-writer-nogui)
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing ${missing[*]} from the Debian packages…" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Please install these Debian packages: ${missing[*]}" >&2
    fi
}
