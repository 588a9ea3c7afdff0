# Sourced by the bench scripts that time bin/stowage against another tool doing the same transfer
# (bench/s3-tools, bench/azure-tools): timing, checks of what came back, and the medians and ratios.
# The caller sets `work` (its work directory) before using `same`.

now() { date +%s.%N; }
# Seconds since the time $1 that `now` printed.
elapsed() { echo "$(now) - $1" | bc; }
# Compares a download ($2) with what was uploaded ($1); a difference is reported and remembered.
same() { cmp -s "$1" "$2" || { echo "download differs from the upload: $2" >&2; touch "$work/DIFFERS"; }; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# Sets _cpu to the CPU seconds (user + system) of the child processes this shell has waited for. The
# builtin `times` runs in this shell only with a plain redirection (in a pipe or $(...) it would report a
# subshell's own children).
child_cpu() {
  local f="$work/.times.$BASHPID"
  times >"$f"
  _cpu="$(tail -1 "$f" | awk '{ split($1, a, "m"); split($2, b, "m"); sub("s", "", a[2]);
    sub("s", "", b[2]); printf "%.2f", a[1] * 60 + a[2] + b[1] * 60 + b[2] }')"
  rm -f "$f"
}
# CPU seconds the server process (pid in $server, when set) has used so far.
server_cpu() {
  if [ -n "${server:-}" ] && [ -r "/proc/$server/stat" ]; then
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$server/stat"
  else echo 0; fi
}
# start_clock, then the step, then stop_clock prints "wall client-CPU server-CPU" seconds for `record`: on a
# machine whose cores are all busy, CPU seconds compare far more steadily than wall time (decision 0073).
start_clock() { child_cpu; _c0="$_cpu"; _s0="$(server_cpu)"; _t0="$(now)"; }
stop_clock() {
  local w; w="$(elapsed "$_t0")"; child_cpu
  echo "$w $(echo "$_cpu - $_c0" | bc) $(echo "$(server_cpu) - $_s0" | bc)"
}

# Every step's seconds, per name ("put large ours", "put large aws", ...), space-separated: wall time, and
# where the step gave them (stop_clock), the client's CPU and the server's.
declare -A times cpus srvs
record() {
  local w c s; read -r w c s <<<"$2"
  times[$1]="${times[$1]:-} $w"
  if [ -n "$c" ]; then
    cpus[$1]="${cpus[$1]:-} $c"; srvs[$1]="${srvs[$1]:-} $s"
    printf '  %-20s %8.2f s   cpu %6.2f s, server %6.2f s\n' "$1" "$w" "$c" "$s"
  else
    printf '  %-20s %8.2f s\n' "$1" "$w"
  fi
}
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ratio WHAT REF [LABEL]: the medians of "WHAT ours" and "WHAT REF", and REF ÷ ours (1.0 = as fast, above 1 =
# faster); LABEL says what the reference ran.
ratio() {
  local o ref; o="$(median "${times[$1 ours]}")"; ref="$(median "${times[$1 $2]}")"
  printf '%-10s ours %7.2f s  %-8s %7.2f s  ratio %.2f x (%s ÷ ours)%s\n' "$1" "$o" "$2" "$ref" \
    "$(echo "$ref / $o" | bc -l)" "$2" "${3:+  [$3]}"
  if [ -n "${cpus[$1 ours]:-}" ] && [ -n "${cpus[$1 $2]:-}" ]; then
    local oc os rc rs; oc="$(median "${cpus[$1 ours]}")"; os="$(median "${srvs[$1 ours]}")"
    rc="$(median "${cpus[$1 $2]}")"; rs="$(median "${srvs[$1 $2]}")"
    printf '%-10s   CPU: ours %.2f s + server %.2f s, %s %.2f s + server %.2f s; ratio of totals %.2f x\n' "" \
      "$oc" "$os" "$2" "$rc" "$rs" "$(echo "($rc + $rs) / ($oc + $os)" | bc -l)"
  fi
}

# Fails when any download differed from its upload.
check_downloads() {
  [ ! -e "$work/DIFFERS" ] || { echo "a download differed from its upload (see above)" >&2; exit 1; }
}
