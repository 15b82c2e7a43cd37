#!/usr/bin/env bash
# tmux (built against libevent_core) on the library, by LD_PRELOAD: a server with a shell, keys
# sent and echoed back, a split, a resize, a detach and reattach from new clients, kill-server.
# The server must have mapped libevent_rs.so, so the check cannot pass on the system library.
set -u
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "check-tmux: tmux missing (tools/deps.sh installs it)"; exit 1; }
lib=$PWD/build/lib/libevent_rs.so
dir=$(mktemp -d)
sock=$dir/sock
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1; rm -rf "$dir"' EXIT
t() { LD_PRELOAD=$lib timeout 10 tmux -S "$sock" "$@"; }
fail() { echo "check-tmux: FAIL: $*"; exit 1; }

t new-session -d -s main -x 100 -y 30 'env PS1="$ " bash --norc --noprofile' || fail "new-session"
pid=$(t display-message -p '#{pid}') || fail "display-message"
grep -q libevent_rs "/proc/$pid/maps" || fail "the server ($pid) does not use libevent_rs.so"

# A pane's text, polled until it holds $2 (the shell answers asynchronously).
wait_for() {
  for _ in $(seq 50); do
    t capture-pane -p -t "$1" | grep -q -- "$2" && return 0
    sleep 0.1
  done
  fail "pane $1 never showed '$2'"
}
t send-keys -t main 'echo one-$((20+22))' Enter
wait_for main one-42
t split-window -t main 'env PS1="% " bash --norc --noprofile' || fail "split-window"
[ "$(t list-panes -t main | wc -l)" = 2 ] || fail "two panes expected"
t send-keys -t main.1 'printf "%s-%s\n" second pane' Enter
wait_for main.1 second-pane
t resize-pane -t main.0 -y 10 || fail "resize-pane"
t new-window -t main -n other 'sleep 30' || fail "new-window"
[ "$(t list-windows -t main | wc -l)" = 2 ] || fail "two windows expected"
t kill-window -t main:other || fail "kill-window"
# A second session and a client that attaches and detaches at once.
t new-session -d -s second 'sleep 30' || fail "second session"
LD_PRELOAD=$lib timeout 10 script -qc "tmux -S $sock attach -t second \; detach-client" /dev/null >/dev/null 2>&1 || fail "attach/detach"
[ "$(t list-sessions | wc -l)" = 2 ] || fail "two sessions expected"
t kill-server || fail "kill-server"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "the server did not exit"
echo "check-tmux: ok (server $pid ran on libevent_rs.so)"
