# Sourced by the wrk benches: nginx serving files of $www as the peer, started on a free loopback
# port in the foreground of a background job (its PID in $nginx_pid, for the caller's trap).
#   start_nginx_peer WORK WWW TYPES PROBE
# TYPES is nginx's `types` block body (e.g. `application/json json;`); PROBE is a file under WWW
# that must be served byte for byte (and pre-compressed when PROBE.gz exists) before it
# returns. Sets $nport, $nbase and $nginx_pid.
# Every file with a .gz beside it is served pre-compressed to `Accept-Encoding: gzip`
# (gzip_static), as the benches compare with Switchyard's gzip answers.
start_nginx_peer() {
  local work=$1 www=$2 types=$3 probe=$4
  nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$work/nginx/logs"
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { $types }
  server {
    listen 127.0.0.1:$nport;
    root $www;
    gzip_static on;
  }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  nbase="http://127.0.0.1:$nport"
  for _ in $(seq 50); do curl -sf "$nbase/$probe" -o /dev/null && break; sleep 0.1; done
  cmp -s <(curl -sf "$nbase/$probe") "$www/$probe" ||
    { echo "nginx does not serve $probe" >&2; exit 1; }
  if [[ -f $www/$probe.gz ]]; then
    [[ $(curl -sf -H 'Accept-Encoding: gzip' -D - -o /dev/null "$nbase/$probe" | tr -d '\r' | grep -i '^content-encoding:') == *gzip* ]] ||
      { echo "nginx does not serve $probe.gz" >&2; exit 1; }
  fi
}
