#!/usr/bin/env bash
# Runs Ferry's tests. They need a MariaDB/MySQL server on 127.0.0.1:3306 (root, empty password):
# when none answers, this starts the installed one, or installs MariaDB from Debian's packages first.
set -euo pipefail
cd "$(dirname "$0")/.."

mysql_up() {
  if command -v mariadb >/dev/null 2>&1; then
    mariadb --no-defaults -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1
  elif command -v mysql >/dev/null 2>&1; then
    mysql --no-defaults -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1
  else
    (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null
  fi
}

wait_mysql() {
  for _ in $(seq 1 60); do mysql_up && return 0; sleep 0.5; done
  return 1
}

if ! mysql_up; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "test.sh: no MariaDB on 127.0.0.1:3306; installing mariadb-server from Debian's packages" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      apt-get install -y -qq mariadb-server mariadb-client >/dev/null
    else
      echo "test.sh: no MySQL/MariaDB answers on 127.0.0.1:3306 (root, empty password) and this machine cannot install one." >&2
      echo "         Start one there (e.g. docker run -p 3306:3306 -e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 mariadb:11)," >&2
      echo "         or point FERRY_TEST_MYSQL_URL/_USER/_PASSWORD at one." >&2
      exit 2
    fi
  fi
  echo "test.sh: starting MariaDB" >&2
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1 --port=3306
  if ! wait_mysql; then
    echo "test.sh: MariaDB did not come up on 127.0.0.1:3306" >&2
    exit 2
  fi
  # a fresh Debian install authenticates root by socket only: allow the empty password over TCP, as the tests expect
  mariadb --no-defaults -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket" 2>/dev/null || true
  wait_mysql
fi

# the web console's browser test drives Debian's Chromium through its chromedriver, with CJK fonts so that the
# Chinese shop and customer names it shows render (fonts-noto-cjk gives "Noto Sans CJK SC")
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/share/fonts/opentype/noto ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing chromium, chromium-driver and fonts-noto-cjk from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
  else
    echo "test.sh: chromium, chromium-driver or fonts-noto-cjk is missing and this machine cannot install them;" >&2
    echo "         ConsoleBrowserTest will fail (install those Debian packages)." >&2
  fi
fi

# the deployment files' check (DeployManifestsTest) validates them with Node packages pinned in deploy/validate
if ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing nodejs and npm from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "test.sh: npm is missing and this machine cannot install it; DeployManifestsTest will fail." >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix deploy/validate --silent --no-audit --no-fund >/dev/null
fi

exec mvn -B test "$@"
