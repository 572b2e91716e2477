#!/usr/bin/env bash
# Installs every Debian package the product's sandbox, build and tests need.
# Idempotent: skips apt entirely when every package is already present.
set -euo pipefail

PACKAGES=(
  chromium
  firefox-esr
  kamailio kamailio-websocket-modules kamailio-utils-modules
  # Colleagues' lamps (dialog event package) and voicemail waiting (message-summary): presence server.
  kamailio-presence-modules
  # The classic sandbox profile (sandbox start --classic): SIP over TLS.
  kamailio-tls-modules
  baresip
  sip-tester
  # The sandbox LDAP directory (issue 18): slapd runs as a user process from its own slapd.conf.
  slapd ldap-utils
  linphone-cli
  xvfb xdotool xclip x11-utils xterm
  iproute2 util-linux procps
  # Direct SIP e2e: the NAT router namespace (MASQUERADE) and DNAT to the loopback-only sandbox;
  # openssl makes the certificates of the TLS unit tests.
  iptables openssl
  sox
  xdg-utils
  # npm run package and its tests: the .deb (dpkg-deb, xz), unpacking the store zip.
  xz-utils unzip
)
# rtpengine's full package pulls dkms/nfs; the daemon alone is enough in userspace mode.
NO_RECOMMENDS=(rtpengine-daemon)
# `--no-packaging` (npm start): without the Windows packaging tools, which only the MSI build and
# its checks need (Wine is ~100 MB).
if [ "${1:-}" != "--no-packaging" ]; then
  # The Windows MSI: built with wixl, checked under Wine (tests/wine, ../shared/NOTES-WINDOWS.md).
  PACKAGES+=(wixl msitools)
  # wine64 without recommends: 7 packages instead of 28 (fonts, gstreamer, ...), enough headless.
  NO_RECOMMENDS+=(wine64 wine)
fi

missing=()
for p in "${PACKAGES[@]}" "${NO_RECOMMENDS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${NO_RECOMMENDS[@]}" >/dev/null
$SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
echo "system packages: done"
