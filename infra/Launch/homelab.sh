#!/bin/sh
# Starts the HomeLab CLI from its Release build: Pulumi runs it as the compiler hook (Pulumi.yaml) and the
# post-deploy hook commands run it too. stdout belongs to the command alone (for 'compile', the program that
# pulumi-yaml's LoadFromCompiler parses), so everything the build says goes to stderr.
#
# Two builds, one chosen per call:
# - native: a NativeAOT single-file binary (bin/launch-native/homelab). It starts without the .NET runtime and
#   without JIT, several times faster than any managed start (README, Benchmarks). Its linker step needs clang, as
#   Debian packages it, so it is built when clang is on PATH.
# - readytorun: today's managed build (bin/launch/homelab.dll), precompiled for this machine, run with 'dotnet';
#   used when clang is absent, or the platform has no runtime identifier here.
# HOMELAB_BUILD=native|readytorun picks one explicitly (the tests and the benchmark run both). The build that is
# made says once, on stderr, which one it is and why.
#
# An up-to-date build is reused without starting MSBuild: a stamp written after each successful build is compared
# with the sources (find -newer), for either build. A fresh clone builds on the first call. A failed build exits 1
# and prints the compiler's errors on stderr, which is what Pulumi shows the operator.
set -eu

# Pulumi runs this script on every preview and update, so it starts as few processes as it can before the binary:
# one for the platform, one subshell for the root, one find for freshness (README, Benchmarks: start-up).
case "$0" in
  */*) here=${0%/*} ;;
  *) here=. ;;
esac
root=$(cd "$here/../.." && pwd)
lock="$root/bin/homelab-launch.lock"

# The runtime identifier code is compiled for; elsewhere the build stays portable IL.
platform=$(uname -sm)
case "$platform" in
  "Linux x86_64") rid=linux-x64 ;;
  "Linux aarch64" | "Linux arm64") rid=linux-arm64 ;;
  "Darwin x86_64") rid=osx-x64 ;;
  "Darwin arm64") rid=osx-arm64 ;;
  *) rid="" ;;
esac

# Sets form (native or readytorun) and why.
choose() {
  case "${HOMELAB_BUILD:-}" in
    native)
      form=native why="HOMELAB_BUILD=native"
      if [ -z "$rid" ]; then
        echo "homelab: HOMELAB_BUILD=native, but there is no native build for $platform; unset it to use the ReadyToRun build" >&2
        exit 2
      fi ;;
    readytorun) form=readytorun why="HOMELAB_BUILD=readytorun" ;;
    "")
      if [ -z "$rid" ]; then
        form=readytorun why="no native build for $platform"
      elif linker=$(command -v clang 2>/dev/null); then
        form=native why="clang found at $linker"
      else
        form=readytorun why="no clang on PATH; install clang (Debian: apt-get install clang) for the native binary, which starts several times faster"
      fi ;;
    *)
      echo "homelab: HOMELAB_BUILD is '$HOMELAB_BUILD'; set it to native or readytorun, or unset it to choose by whether clang is installed" >&2
      exit 2 ;;
  esac
}
choose

if [ "$form" = native ]; then
  out="$root/bin/launch-native"
  built="$out/homelab"
else
  out="$root/bin/launch"
  built="$out/homelab.dll"
fi
stamp="$out/homelab.stamp"

# Everything HomeLab.csproj compiles or embeds, and the files that configure the build; a directory whose
# modification time changed has gained or lost a file.
stale() {
  [ -f "$built" ] && [ -f "$stamp" ] || return 0
  changed=$(find "$root/HomeLab.csproj" "$root/Directory.Build.props" "$root/.editorconfig" "$root/infra" "$root/modules" "$root/nix" \
    -newer "$stamp" \( -type d -o -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.nix' -o -name '.editorconfig' \) -print -quit 2>/dev/null)
  [ -n "$changed" ]
}

build() {
  mkdir -p "$out"
  # Several hook commands may start at once: one builds, the others wait for it. One lock for both builds: they
  # share the project's intermediate files. The lock names its holder, so a build that was killed (no trap runs on
  # SIGKILL) does not keep the others waiting: a lock whose holder is gone is taken over.
  waited=0
  until mkdir "$lock" 2>/dev/null; do
    holder=$(cat "$lock/pid" 2>/dev/null || true)
    if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
      echo "homelab: taking over the build lock of process $holder, which is gone" >&2
      rm -f "$lock/pid"
      rmdir "$lock" 2>/dev/null || true
      continue
    fi
    waited=$((waited + 1))
    if [ "$waited" -ge 900 ]; then
      echo "homelab: waited 15 minutes for another build ($lock); remove that folder if no build is running" >&2
      exit 1
    fi
    sleep 1
  done
  echo $$ >"$lock/pid"
  trap 'rm -f "$lock/pid"; rmdir "$lock" 2>/dev/null || true' EXIT INT TERM
  if stale; then
    # Taken before the build, so a source saved while it runs still counts as newer.
    touch "$stamp.next"
    if [ "$form" = native ]; then
      echo "homelab: building the native binary ($why); first run, or its sources changed ..." >&2
      set -- --runtime "$rid" -p:PublishAot=true
    else
      echo "homelab: building the ReadyToRun build ($why); first run, or its sources changed ..." >&2
      if [ -n "$rid" ]; then
        set -- --runtime "$rid" --self-contained false -p:PublishReadyToRun=true
      else
        set --
      fi
    fi
    if ! dotnet publish "$root/HomeLab.csproj" --configuration Release --output "$out" --nologo --verbosity quiet "$@" 1>&2; then
      rm -f "$stamp.next"
      echo "homelab: the build failed (errors above); fix them and run the command again" >&2
      exit 1
    fi
    mv "$stamp.next" "$stamp"
  fi
  rm -f "$lock/pid"
  rmdir "$lock"
  trap - EXIT INT TERM
}

if stale; then
  build
fi
if [ "$form" = native ]; then
  exec "$built" "$@"
fi
exec dotnet "$built" "$@"
