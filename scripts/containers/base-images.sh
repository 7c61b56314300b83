#!/usr/bin/env bash
# Builds, once per machine, the base images the container test needs when no image registry is
# reachable: a Debian bookworm root file system (debootstrap), and on it
#   docker.io/library/node:20-bookworm-slim  the Dockerfile's FROM, with this machine's Node.js 20
#   localhost/aims-test/postgres:15          PostgreSQL 15 from Debian, run like the official image
#   localhost/aims-test/mariadb:10.11        MariaDB 10.11 from Debian, run like the official image
# Each image is kept until removed (`podman rmi`); a second run only checks that they exist.
# The database stand-ins honour the official images' variables (POSTGRES_*, MARIADB_*), data
# folders and health commands, so compose.yaml needs nothing but a different `image:`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mirror="${AIMS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
node_image=docker.io/library/node:20-bookworm-slim
debian_image=localhost/aims-test/debian:bookworm

if ! podman image exists "$debian_image"; then
  rootfs="$(mktemp -d /var/tmp/aims-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  echo "base images: debootstrap bookworm from $mirror (a few minutes, once per machine)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | podman import --quiet --change 'CMD ["/bin/bash"]' - "$debian_image" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

if ! podman image exists "$node_image"; then
  node_bin="$(command -v node)"
  node_version="$("$node_bin" --version)"
  [[ "$node_version" == v20.* ]] || { echo "base images: need Node.js 20 on this machine, found $node_version" >&2; exit 1; }
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  node_prefix="$(dirname "$(dirname "$node_bin")")"
  ctx="$(mktemp -d /var/tmp/aims-node.XXXXXX)"
  trap 'rm -rf "$ctx"' EXIT
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  # The official image downloads node's headers when a native module compiles; nodejs.org is not
  # reachable here, so the headers come from this machine (npm_config_nodedir below).
  if [[ -d "$node_prefix/include/node" ]]; then cp -a "$node_prefix/include/node" "$ctx/include-node"; else mkdir "$ctx/include-node"; fi
  # A machine whose HTTPS goes through an intercepting proxy trusts that proxy's CA (the
  # NODE_EXTRA_CA_CERTS it runs with): the image's npm must too, or `npm ci` cannot fetch.
  ca="${NODE_EXTRA_CA_CERTS:-}"
  if [[ -n "$ca" && -f "$ca" ]]; then cp "$ca" "$ctx/extra-ca.pem"; else : >"$ctx/extra-ca.pem"; fi
  cat >"$ctx/Containerfile" <<CONTAINERFILE
FROM $debian_image
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY include-node /usr/local/include/node
COPY extra-ca.pem /usr/local/share/aims-test/extra-ca.pem
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=${node_version#v} npm_config_nodedir=/usr/local \\
    NODE_EXTRA_CA_CERTS=/usr/local/share/aims-test/extra-ca.pem
CMD ["node"]
CONTAINERFILE
  echo "base images: $node_image from $debian_image and Node.js $node_version"
  podman build --quiet -t "$node_image" "$ctx" >/dev/null
  rm -rf "$ctx"
  trap - EXIT
fi

for db in postgres:15 mariadb:10.11; do
  name="${db%%:*}"
  if ! podman image exists "localhost/aims-test/$db"; then
    echo "base images: localhost/aims-test/$db from Debian packages"
    podman build --quiet --build-arg "BASE=$debian_image" -t "localhost/aims-test/$db" \
      -f "$here/$name.Containerfile" "$here" >/dev/null
  fi
done
