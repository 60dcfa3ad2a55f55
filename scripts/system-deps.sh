#!/usr/bin/env bash
# Install (as root) or name (otherwise) the Debian packages the app and its tests need.
#   scripts/system-deps.sh app    fonts for Chinese PDFs and charts, stroke counts for printed lists
#   scripts/system-deps.sh test   the above, plus Chromium for browser tests and poppler for PDF checks
set -euo pipefail

packages=(fonts-noto-cjk fonts-hanazono libharfbuzz-subset0 fontconfig unicode-data)
# hanazono: rare name characters (CJK Ext-B); unicode-data: Unihan stroke counts for surname-stroke order
if [ "${1:-app}" = "test" ]; then
  packages+=(chromium poppler-utils)
fi

case "${DATABASE_URL:-}" in
  postgres*) packages+=(postgresql-client) ;;  # pg_dump / pg_restore for backup_db / restore_db
esac

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${missing[*]}" >&2
  echo "请以 root 身份运行：sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "正在安装系统软件包：${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
