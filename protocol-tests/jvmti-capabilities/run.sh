#!/bin/bash
# Which JVMTI capability costs a program that throws: the exceptions per second of Throws.java
# under plain java, under -agentlib:jdwp (nothing attached), and under a tiny JVMTI agent that
# only adds the capabilities named (all that JDWP takes, or one at a time). Rounds alternate the
# configurations; each prints its median. Needs gcc and a JDK (JAVA_HOME or the java on PATH).
# See docs/performance.md, "What any JDWP debugger costs a program that throws".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -shared -fPIC -O2 -I"$java_home/include" -I"$java_home/include/linux" -o "$work/libcapabilities.so" "$here/capabilities.c"
"$java_home/bin/javac" -d "$work" "$here/Throws.java"
configs=(plain jdwp all can_generate_exception_events can_generate_frame_pop_events
  can_generate_method_entry_events,can_generate_method_exit_events can_access_local_variables can_pop_frame
  can_force_early_return can_generate_single_step_events can_generate_breakpoint_events can_redefine_classes)
declare -A rates
for round in $(seq 1 "${ROUNDS:-7}"); do
  for c in "${configs[@]}"; do
    case $c in
      plain) opt=();;
      jdwp) opt=(-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0);;
      all) opt=("-agentpath:$work/libcapabilities.so=jdwp");;
      *) opt=("-agentpath:$work/libcapabilities.so=$c");;
    esac
    rates[$c]="${rates[$c]:-} $("$java_home/bin/java" ${opt[@]+"${opt[@]}"} -cp "$work" Throws 1000000 2>/dev/null | tail -1)"
  done
done
for c in "${configs[@]}"; do
  echo "$c${rates[$c]}" | python3 -c 'import sys, statistics
p = sys.stdin.read().split(); v = [int(x) for x in p[1:]]
print(f"{p[0]:70} {int(statistics.median(v)):>10,} exceptions/s (median of {len(v)})")'
done
