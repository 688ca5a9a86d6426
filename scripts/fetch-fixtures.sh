#!/usr/bin/env bash
# Fetches the real Debian packages the tests use (apt-get download, never installed) into a cache outside the repo,
# unpacks the kernel module trees and runs depmod on them, and writes manifest.json for the tests. Idempotent.
set -euo pipefail

CACHE="${NODEFIT_FIXTURES:-$HOME/.cache/nodefit-fixtures}"
mkdir -p "$CACHE/debs" "$CACHE/apt/lists/partial" "$CACHE/apt/archives/partial" "$CACHE/trees"

# A private apt configuration: bookworm (+security, +backports for the 6.12 kernel). The host's own apt sources are left alone.
cat > "$CACHE/apt/sources.list" <<'SRC'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
deb http://deb.debian.org/debian bookworm-backports main
SRC
APT_OPTS=(-o "Dir::Etc::SourceList=$CACHE/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$CACHE/apt/lists" -o "Dir::Cache::Archives=$CACHE/apt/archives"
          -o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1")

stamp="$CACHE/apt/updated"
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
  apt-get "${APT_OPTS[@]}" update -qq
  touch "$stamp"
fi

newest() { # newest package name matching a regex
  apt-cache "${APT_OPTS[@]}" search --names-only "$1" | awk '{print $1}' | grep -E "$1" | sort -V | tail -1
}

KERNEL_61=$(newest '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$')
KERNEL_612=$(newest '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$')
PACKAGES=("$KERNEL_61" "$KERNEL_612" kmod libkmod2 busybox busybox-static iptables libip4tc2 libip6tc2 libxtables12 libnftnl11 libmnl0 nftables libnftables1 qemu-user-static docker.io libc6 liblzma5 libzstd1 libssl3 zlib1g libjansson4 libgmp10 libedit2 libbsd0 libmd0 libtinfo6 libselinux1 libpcre2-8-0)

cd "$CACHE/debs"
for p in "${PACKAGES[@]}"; do
  [ -n "$p" ] || { echo "fetch-fixtures: a kernel package was not found in the archive" >&2; exit 1; }
  if ! ls "${p}"_*.deb >/dev/null 2>&1; then
    echo "fetch-fixtures: downloading $p"
    apt-get "${APT_OPTS[@]}" download -qq "$p"
  fi
done

# Unpack each kernel package into a tree (as /lib/modules/<release> would be on a host) and generate modules.dep with kmod's depmod.
DEPMOD=$(command -v depmod || echo /sbin/depmod)
unpack_kernel() {
  local pkg=$1 name=$2
  local deb; deb=$(ls "$CACHE/debs/${pkg}"_*.deb | head -1)
  local tree="$CACHE/trees/$name"
  if [ ! -f "$tree/.done" ] || [ "$(cat "$tree/.done")" != "$(basename "$deb")" ]; then
    rm -rf "$tree"; mkdir -p "$tree"
    dpkg-deb -x "$deb" "$tree"
    local rel; rel=$(ls "$tree/lib/modules" | head -1)
    if [ ! -f "$tree/lib/modules/$rel/modules.dep" ]; then
      if [ -x "$DEPMOD" ]; then "$DEPMOD" -b "$tree" "$rel"; else echo "fetch-fixtures: depmod not found (apt-get install kmod)" >&2; exit 1; fi
    fi
    basename "$deb" > "$tree/.done"
  fi
}
unpack_kernel "$KERNEL_61" linux-6.1
unpack_kernel "$KERNEL_612" linux-6.12

# docker.io ships moby's check-config.sh; take just that file out.
if [ ! -f "$CACHE/check-config.sh" ]; then
  tmp=$(mktemp -d); dpkg-deb -x "$(ls "$CACHE"/debs/docker.io_*.deb | head -1)" "$tmp"
  cp "$tmp/usr/share/docker.io/contrib/check-config.sh" "$CACHE/check-config.sh"; rm -rf "$tmp"
fi

# manifest.json: package name -> .deb path and version; kernel trees -> root and release.
{
  echo '{'
  echo '  "debs": {'
  first=1
  for p in "${PACKAGES[@]}"; do
    deb=$(ls "$CACHE/debs/${p}"_*.deb | head -1)
    ver=$(dpkg-deb -f "$deb" Version)
    key=$p; [ "$p" = "$KERNEL_61" ] && key=kernel-6.1; [ "$p" = "$KERNEL_612" ] && key=kernel-6.12
    [ $first = 1 ] || echo ','
    printf '    "%s": { "package": "%s", "path": "%s", "version": "%s" }' "$key" "$p" "$deb" "$ver"
    first=0
  done
  echo
  echo '  },'
  echo '  "trees": {'
  r61=$(ls "$CACHE/trees/linux-6.1/lib/modules" | head -1); r612=$(ls "$CACHE/trees/linux-6.12/lib/modules" | head -1)
  printf '    "kernel-6.1": { "root": "%s", "release": "%s" },\n' "$CACHE/trees/linux-6.1" "$r61"
  printf '    "kernel-6.12": { "root": "%s", "release": "%s" }\n' "$CACHE/trees/linux-6.12" "$r612"
  echo '  },'
  printf '  "checkConfig": "%s"\n' "$CACHE/check-config.sh"
  echo '}'
} > "$CACHE/manifest.json.tmp"
mv "$CACHE/manifest.json.tmp" "$CACHE/manifest.json"
echo "fetch-fixtures: ready in $CACHE"
