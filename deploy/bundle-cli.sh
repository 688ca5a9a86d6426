#!/bin/sh
# Assembles a self-contained copy of the nodefit CLI (Node.js, its ELF loader and shared libraries, the bundled CLI)
# that runs in images without Node.js, such as node-problem-detector's, whatever C library they carry.
# Usage: bundle-cli.sh NODE_BINARY CLI_DIST_DIR OUT_DIR   (the Containerfile runs it; so does the deploy test)
set -eu
node_bin=$1
dist=$2
out=$3
[ -x "$node_bin" ] || { echo "bundle-cli.sh: $node_bin is not an executable" >&2; exit 2; }
[ -f "$dist/cli.cjs" ] || { echo "bundle-cli.sh: $dist/cli.cjs not found (run npm run build)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/dist"
cp -R "$dist/." "$out/dist/"
# the CLI is cli.cjs + cli-main.cjs + vendor/; the ESM library build and source maps are not needed to run it
rm -rf "$out/dist/chunks" "$out/dist/index.js"
rm -f "$out/dist/"*.map "$out/dist/vendor/"*.map
cp -L "$node_bin" "$out/lib/node"
# ldd prints "name => /path (addr)" for libraries and "/path (addr)" for the loader; vdso has no file
interp=
for line in $(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print "lib:" $3 } $1 ~ /^\// { print "interp:" $1 }'); do
  case $line in
    lib:*) cp -L "${line#lib:}" "$out/lib/" ;;
    interp:*) interp=${line#interp:} ;;
  esac
done
[ -n "$interp" ] || { echo "bundle-cli.sh: no ELF interpreter found for $node_bin (a static binary needs no bundle)" >&2; exit 2; }
cp -L "$interp" "$out/lib/ld.so"
cat > "$out/bin/nodefit" <<'WRAPPER'
#!/bin/sh
# nodefit through the bundled loader and libraries: the host image's own C library is never used.
lib=${0%/*}/../lib
exec "$lib/ld.so" --library-path "$lib" "$lib/node" "$lib/../dist/cli.cjs" "$@"
WRAPPER
chmod 0755 "$out/bin/nodefit"
