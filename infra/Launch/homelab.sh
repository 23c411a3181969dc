#!/bin/sh
# Starts the HomeLab CLI from its Release build: Pulumi runs it as the compiler hook (Pulumi.yaml) and the
# post-deploy hook commands run it too. stdout belongs to the command alone (for 'compile', the program that
# pulumi-yaml's LoadFromCompiler parses), so everything the build says goes to stderr.
#
# An up-to-date build is reused without starting MSBuild: a stamp written after each successful build is compared
# with the sources (find -newer). A fresh clone builds on the first call. A failed build exits 1 and prints the
# compiler's errors on stderr, which is what Pulumi shows the operator.
#
# The build is a ReadyToRun publish for this machine: Pulumi starts the compiler on every preview and update, and
# precompiled code spares it JIT-compiling HomeLab's own methods on each start (see the README's benchmark figures).
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/bin/launch"
dll="$out/homelab.dll"
stamp="$out/homelab.stamp"
lock="$root/bin/homelab-launch.lock"

# Everything HomeLab.csproj compiles or embeds, and the files that configure the build; a directory whose
# modification time changed has gained or lost a file.
stale() {
  [ -f "$dll" ] && [ -f "$stamp" ] || return 0
  changed=$(find "$root/HomeLab.csproj" "$root/Directory.Build.props" "$root/.editorconfig" "$root/infra" "$root/modules" "$root/nix" \
    -newer "$stamp" \( -type d -o -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.nix' -o -name '.editorconfig' \) 2>/dev/null | head -n 1)
  [ -n "$changed" ]
}

# The runtime identifier ReadyToRun code is compiled for; elsewhere the build stays portable IL.
runtime() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64 ;;
    Linux-aarch64 | Linux-arm64) echo linux-arm64 ;;
    Darwin-x86_64) echo osx-x64 ;;
    Darwin-arm64) echo osx-arm64 ;;
    *) echo "" ;;
  esac
}

build() {
  mkdir -p "$out"
  # Several hook commands may start at once: one builds, the others wait for it.
  waited=0
  until mkdir "$lock" 2>/dev/null; do
    waited=$((waited + 1))
    if [ "$waited" -ge 900 ]; then
      echo "homelab: waited 15 minutes for another build ($lock); remove that folder if no build is running" >&2
      exit 1
    fi
    sleep 1
  done
  trap 'rmdir "$lock" 2>/dev/null || true' EXIT INT TERM
  if stale; then
    echo "homelab: building HomeLab (first run, or its sources changed) ..." >&2
    # Taken before the build, so a source saved while it runs still counts as newer.
    touch "$stamp.next"
    rid=$(runtime)
    if [ -n "$rid" ]; then
      set -- --runtime "$rid" --self-contained false -p:PublishReadyToRun=true
    else
      set --
    fi
    if ! dotnet publish "$root/HomeLab.csproj" --configuration Release --output "$out" --nologo --verbosity quiet "$@" 1>&2; then
      rm -f "$stamp.next"
      echo "homelab: the build failed (errors above); fix them and run the command again" >&2
      exit 1
    fi
    mv "$stamp.next" "$stamp"
  fi
  rmdir "$lock"
  trap - EXIT INT TERM
}

if stale; then
  build
fi
exec dotnet "$dll" "$@"
