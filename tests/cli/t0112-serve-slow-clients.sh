#!/usr/bin/env bash
# t0112: slow clients cannot take the server: nine addresses (127.0.0.2-10) each open as many idle,
# half-sent connections as they can; one address gets at most 1/16 of --max-connections however
# high --per-ip is, so /health from another address still answers; a client that trickles its
# headers one byte at a time is cut off at --timeout although it never goes idle.
. "$(dirname "$0")/serve_lib.sh"
DB="$T/s.db"
demo_db "$DB"
start_server "$DB" --max-connections 160 --per-ip 128 --timeout 3
port=${URL##*:}
cat >"$T/flood.mjs" <<'JS'
// Opens up to `per` half-sent connections from each of 127.0.0.2..10 and keeps them; prints how
// many are still open after a second.
import net from 'node:net';
const [port, per] = process.argv.slice(2).map(Number);
const socks = [];
for (let a = 2; a <= 10; a++)
  for (let i = 0; i < per; i++) {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: `127.0.0.${a}` });
    s.on('connect', () => s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n'));
    s.on('error', () => {});
    s.on('close', () => { s.closed_ = true; });
    socks.push(s);
  }
setTimeout(() => {
  console.log(socks.filter((s) => !s.closed_ && s.readyState === 'open').length);
  setTimeout(() => process.exit(0), 4000); // hold them while the shell probes /health
}, 1000);
JS
node "$T/flood.mjs" "$port" 128 >"$T/flood.out" 2>&1 &
FLOOD=$!
for _ in $(seq 1 60); do [ -s "$T/flood.out" ] && break; sleep 0.1; done
open=$(cat "$T/flood.out")
[ -n "$open" ] && [ "$open" -le 90 ] && ok "nine addresses hold $open connections: 10 each, not 128" ||
    fail "nine addresses hold '$open' connections"
t0=$(date +%s%3N)
expect_status 200 "/health still answers from 127.0.0.1 during the flood" anon GET /api/v1/health --max-time 3
t1=$(date +%s%3N)
[ $((t1 - t0)) -lt 1000 ] && ok "and fast ($((t1 - t0)) ms)" || fail "/health took $((t1 - t0)) ms"
wait "$FLOOD"

# A trickling client: one header byte every 0.5 s resets the idle timeout but not the deadline.
start=$(date +%s)
(
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    hdr=$'GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n'
    for ((i = 0; i < ${#hdr}; i++)); do
        printf '%s' "${hdr:i:1}" >&3 2>/dev/null || break
        sleep 0.5
    done
    timeout 3 cat <&3
) >"$T/trickle.out" 2>/dev/null
took=$(($(date +%s) - start))
grep -q '^HTTP/1.1 200' "$T/trickle.out" && fail "the trickled request was served after ${took} s" ||
    ok "the trickled request got no answer"
# 81 bytes at 2 a second would take 40 s; --timeout 3 cuts it off after 3-5 s.
[ "$took" -le 8 ] && ok "and was cut off after ${took} s, not 40" || fail "took ${took} s"
finish
