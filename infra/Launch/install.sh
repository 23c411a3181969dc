#!/bin/sh
# Puts a 'homelab' command on the PATH: a small wrapper in ~/.local/bin (or $HOMELAB_BIN) that runs this clone's
# launcher, infra/Launch/homelab.sh, which builds HomeLab on first use and after source changes. Nothing is
# downloaded; run it again after moving the clone. Every hint HomeLab prints ('homelab secrets local --set-missing')
# then runs as printed, from anywhere inside the clone.
#
#   sh infra/Launch/install.sh            # writes ~/.local/bin/homelab
#   HOMELAB_BIN=/usr/local/bin sh infra/Launch/install.sh
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
bin="${HOMELAB_BIN:-$HOME/.local/bin}"

case "$root" in
  *\'*)
    echo "homelab: the clone's path ($root) holds a single quote, which the wrapper cannot quote; move the clone" >&2
    exit 2
    ;;
esac

mkdir -p "$bin"
cat > "$bin/homelab.new" <<EOF
#!/bin/sh
# Written by $root/infra/Launch/install.sh: runs that clone's HomeLab launcher.
exec sh '$root/infra/Launch/homelab.sh' "\$@"
EOF
chmod 755 "$bin/homelab.new"
mv "$bin/homelab.new" "$bin/homelab"
echo "homelab: installed $bin/homelab (runs $root/infra/Launch/homelab.sh)"

case ":$PATH:" in
  *":$bin:"*) ;;
  *)
    echo "homelab: $bin is not on your PATH; add it, then open a new shell:"
    echo "  echo 'export PATH=\"$bin:\$PATH\"' >> ~/.profile"
    ;;
esac
