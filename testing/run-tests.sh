#!/usr/bin/env bash
# The one test command of DS01 Portal. CI runs it (via .ci/run) as root on a clean clone of a
# fresh Debian machine, with no stdin. It is idempotent: run it as often as you like.
#
#   1. installs what is missing (apt-get): the Docker engine, busybox-static, ...
#   2. starts a real Docker engine (dockerd, vfs storage, no iptables) unless one answers,
#      with testing/bin first on its PATH so its "nvidia" device driver is registered
#   3. imports the tiny base image ds01-test/base:latest from busybox-static
#   4. runs `mvn -B verify`, passing on any extra arguments
#
# Environment it honours:
#   DS01_FAKE_GPU_MACHINE  which captured machine testing/bin/nvidia-smi plays (default a100-mig)
#   DS01_TEST_GPU_MACHINE  the same choice for the Java tests (default: DS01_FAKE_GPU_MACHINE)
#   DS01_TEST_DOCKER_ROOT  where our dockerd keeps its state (default /var/lib/ds01-test-docker)
#   DOCKER_WAIT_SECONDS    how long to wait for the engine to answer (default 60)
set -euo pipefail

cd "$(dirname "$0")/.."
REPO="$PWD"
BIN="$REPO/testing/bin"
export DEBIAN_FRONTEND=noninteractive

say() { printf '[run-tests] %s\n' "$*" >&2; }
die() { printf '[run-tests] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run me as root: I install packages and start dockerd"

# --- 1. packages ---------------------------------------------------------------------------
# Debian packages we need. "package:command" means the package is not needed when that command
# is already on PATH (e.g. a JDK or Maven installed another way); a bare package name is checked
# with dpkg only. Later issues add theirs here.
PACKAGES=(
  "docker.io:dockerd"
  "busybox-static"            # a static busybox: the whole base test image is this one file
  "maven:mvn"
  "openjdk-17-jdk-headless:javac"
  "curl:curl"
  "nodejs:node"               # the local OpenID provider of the single sign-on tests (testing/oidc)
  "npm:npm"
  "debootstrap:debootstrap"   # a minimal Debian for the image-build tests' base (real useradd, stand-in pip/apt-get)
  "git:git"                   # the projects tests check that a new project's repository is one git reads
  "openssh-client:ssh-keygen" # real keys for the SSH key tests, and ssh -G to parse the generated SSH config
  "chromium:chromium"         # the browser tests (src/test/java/ds01/browser): headless Chromium, driven by Selenium
  "chromium-driver:chromedriver"
)
missing=()
for entry in "${PACKAGES[@]}"; do
  pkg="${entry%%:*}" cmd=""
  [ "$entry" = "$pkg" ] || cmd="${entry#*:}"
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then continue; fi
  if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then continue; fi
  missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  # On a machine run by systemd, installing docker.io also starts Debian's docker.service: an
  # engine without testing/bin on its PATH, so without the nvidia driver. We just installed it
  # for the tests, so stop it and let our own dockerd (below) take the socket.
  if [[ " ${missing[*]} " == *" docker.io "* ]] && command -v systemctl >/dev/null 2>&1 \
     && systemctl is-active --quiet docker.service 2>/dev/null; then
    say "stopping the docker.service that installing docker.io started (it lacks the GPU stand-in)"
    systemctl stop docker.socket docker.service || true
  fi
fi
BUSYBOX=/bin/busybox     # busybox-static's file (Debian's merged /usr also shows it as /usr/bin/busybox)
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing although busybox-static is installed"

# --- 2. the Docker engine ------------------------------------------------------------------
# The engine functions live in testing/dockerd.sh, which tests also run to stop and start the engine.
source "$REPO/testing/dockerd.sh"

if engine_answers; then
  say "a Docker engine already answers on $DOCKER_HOST ($(docker version --format '{{.Server.Version}}'))"
else
  start_dockerd
fi

# Does the engine accept GPU device requests? Only if its nvidia driver was registered, i.e. the
# hook was on its PATH when it started.
gpu_probe() {
  docker run --rm --gpus device=GPU-probe --entrypoint /bin/true ds01-test/base:latest 2>&1
}

# --- 3. the base test image -----------------------------------------------------------------
IMAGE="ds01-test/base:latest"
# Bump IMAGE_VERSION when the image changes, so machines that have an older one import it again.
IMAGE_VERSION=4   # 2: the root directory is 755, so containers running as a user's uid can reach /bin
                  # 3: httpd and the stand-in jupyter-lab (testing/image-stand-ins/jupyter-lab)
                  # 4: the stand-in jupyter-lab's base URL sends the browser on to lab/, as JupyterLab's does
if [ "$(docker image inspect --format '{{index .Config.Labels "ds01.test-image"}}' "$IMAGE" 2>/dev/null)" = "$IMAGE_VERSION" ]; then
  say "$IMAGE present"
else
  say "importing $IMAGE from $BUSYBOX"
  staging="$(mktemp -d)"
  trap 'rm -rf "$staging"' EXIT
  mkdir -p "$staging/bin" "$staging/etc" "$staging/tmp" "$staging/root" "$staging/proc" "$staging/sys" "$staging/dev"
  chmod 755 "$staging"
  chmod 1777 "$staging/tmp"
  cp "$BUSYBOX" "$staging/bin/busybox"
  for applet in sh ash env sleep cat id ls echo true false printf grep sed awk head tail wc \
                mkdir rm cp mv touch chmod chown ps kill date hostname whoami nc wget \
                uname test expr tr cut sort uniq find xargs stat df du mount vi tee yes timeout seq httpd; do
    ln -s busybox "$staging/bin/$applet"
  done
  install -m 755 "$REPO/testing/image-stand-ins/jupyter-lab" "$staging/bin/jupyter-lab"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$staging/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$staging/etc/group"
  tar -C "$staging" --numeric-owner --owner=0 --group=0 -cf - . \
    | docker import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
        --change "LABEL ds01.test-image=$IMAGE_VERSION" - "$IMAGE" >/dev/null
  rm -rf "$staging"; trap - EXIT
  say "$IMAGE imported"
fi

# --- 3b. the image-build tests' base: a minimal Debian (real useradd, getent) whose pip and apt-get are
# stand-ins that record what they are asked for (containers have no way out to a package index here)
PYBASE="ds01-test/pybase:latest"
PYBASE_VERSION=2   # 2: the root directory is 755, so the users the images bake in can reach /usr
if [ "$(docker image inspect --format '{{index .Config.Labels "ds01.test-image"}}' "$PYBASE" 2>/dev/null)" = "$PYBASE_VERSION" ]; then
  say "$PYBASE present"
else
  say "making $PYBASE with debootstrap (bookworm, minbase)"
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "${DS01_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/tmp/ds01-debootstrap.log 2>&1 \
    || { tail -n 20 /tmp/ds01-debootstrap.log >&2; die "debootstrap failed (log: /tmp/ds01-debootstrap.log)"; }
  rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* \
         "$rootfs"/var/cache/apt/*.bin
  chmod 755 "$rootfs"
  install -m 755 "$REPO/testing/image-stand-ins/pip" "$rootfs/usr/local/bin/pip"
  install -m 755 "$REPO/testing/image-stand-ins/apt-get" "$rootfs/usr/local/bin/apt-get"
  mkdir -p "$rootfs/var/log/ds01-stand-in" && chmod 1777 "$rootfs/var/log/ds01-stand-in"
  tar -C "$rootfs" --numeric-owner -cf - . \
    | docker import --change 'CMD ["/bin/bash"]' \
        --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' \
        --change "LABEL ds01.test-image=$PYBASE_VERSION" - "$PYBASE" >/dev/null
  rm -rf "$rootfs"; trap - EXIT
  say "$PYBASE made"
fi

probe="$(gpu_probe)" || {
  # "could not select device driver": started without the hook on its PATH; "nvidia-container-runtime-hook
  # ... not found": started from another checkout's testing/bin that is gone since
  if printf '%s' "$probe" | grep -qE 'could not select device driver|"nvidia-container-runtime-hook": executable file not found'; then
    if our_dockerd_pid >/dev/null; then
      say "the running dockerd cannot reach a GPU hook ($probe); restarting it with $BIN on its PATH"
      stop_our_dockerd
      start_dockerd
      probe="$(gpu_probe)" || die "GPU device requests still fail after restarting dockerd: $probe"
    else
      die "the running Docker engine refuses GPU device requests ($probe):
    it was started without $BIN/nvidia-container-runtime-hook on its PATH, and not by this script,
    so I will not restart it. Stop it, then run testing/run-tests.sh again (it starts one that works)."
    fi
  else
    die "a GPU test container failed to run: $probe"
  fi
}
say "the engine accepts GPU device requests (stand-in hook log: ${DS01_FAKE_HOOK_LOG:-/tmp/ds01-nvidia-hook.log})"

# --- 4. the tests ---------------------------------------------------------------------------
export DS01_FAKE_GPU_MACHINE="${DS01_FAKE_GPU_MACHINE:-a100-mig}"
export DS01_TEST_GPU_MACHINE="${DS01_TEST_GPU_MACHINE:-$DS01_FAKE_GPU_MACHINE}"
export DS01_NVIDIA_SMI="$BIN/nvidia-smi"
export DS01_DOCKER_HOST="${DS01_DOCKER_HOST:-$DOCKER_HOST}"
# The OpenID provider's packages (npm oidc-provider), installed from the lock file when missing or stale.
if [ ! -d testing/oidc/node_modules/oidc-provider ] || [ testing/oidc/package-lock.json -nt testing/oidc/node_modules ]; then
  say "installing the test OpenID provider (npm ci in testing/oidc)"
  (cd testing/oidc && npm ci --no-audit --no-fund </dev/null)
  touch testing/oidc/node_modules
fi

# Real host accounts for the sign-in tests (PAM with deploy/pam/ds01-portal).
testing/setup-accounts.sh

# The tests' built-in PostgreSQL runs as the unprivileged ds01-db account, which must be able to reach
# its data: a fresh directory under /tmp each run, since a clone may live where others cannot enter (/root).
if [ -z "${DS01_TEST_DATA_DIR:-}" ]; then
  DS01_TEST_DATA_DIR="$(mktemp -d /tmp/ds01-test-data.XXXXXX)"
  chmod 755 "$DS01_TEST_DATA_DIR"
  trap 'rm -rf "$DS01_TEST_DATA_DIR"' EXIT
fi
export DS01_TEST_DATA_DIR
say "mvn -B verify $*  (GPU machine: $DS01_TEST_GPU_MACHINE, test data: $DS01_TEST_DATA_DIR)"
mvn -B verify "$@" </dev/null
