# Sourced by the bench scripts that time bin/stowage against another tool doing the same transfer
# (bench/s3-tools, bench/azure-tools): timing, checks of what came back, and the medians and ratios.
# The caller sets `work` (its work directory) before using `same`.

now() { date +%s.%N; }
# Seconds since the time $1 that `now` printed.
elapsed() { echo "$(now) - $1" | bc; }
# Compares a download ($2) with what was uploaded ($1); a difference is reported and remembered.
same() { cmp -s "$1" "$2" || { echo "download differs from the upload: $2" >&2; touch "$work/DIFFERS"; }; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# Every step's seconds, per name ("put large ours", "put large aws", ...), space-separated.
declare -A times
record() { times[$1]="${times[$1]:-} $2"; printf '  %-16s %8.2f s\n' "$1" "$2"; }
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# ratio WHAT REF: the medians of "WHAT ours" and "WHAT REF", and REF ÷ ours (1.0 = as fast, above 1 = faster).
ratio() {
  local o ref; o="$(median "${times[$1 ours]}")"; ref="$(median "${times[$1 $2]}")"
  printf '%-10s ours %7.2f s  %-4s %7.2f s  ratio %.2f x (%s ÷ ours)\n' "$1" "$o" "$2" "$ref" "$(echo "$ref / $o" | bc -l)" "$2"
}

# Fails when any download differed from its upload.
check_downloads() {
  [ ! -e "$work/DIFFERS" ] || { echo "a download differed from its upload (see above)" >&2; exit 1; }
}
