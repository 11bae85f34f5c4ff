#!/bin/bash
# mkrootfs.sh DIR: a busybox root filesystem for runtime tests, holding the
# static pidone as /sbin/pidone and the static test helpers in /usr/bin.
set -eu
dir=$1
top=$(cd "$(dirname "$0")/.." && pwd)
bb=$(command -v busybox || echo /bin/busybox)
# The pidone under test (tests/run exports PIDONE), which must be static:
# the root has no C library. need_static prints the SKIP line tests/run
# counts apart when it is not.
PIDONE=${PIDONE:-$top/pidone}
source "$top/tests/lib.sh"
need_static
file -L "$bb" | grep -q 'statically linked' || { echo "SKIP: busybox is not static (apt-get install busybox-static)"; exit 77; }
mkdir -p "$dir"/bin "$dir"/sbin "$dir"/usr/bin "$dir"/proc "$dir"/dev "$dir"/sys "$dir"/tmp "$dir"/etc "$dir"/run
cp "$bb" "$dir/bin/busybox"
for a in $("$bb" --list); do
	[ -e "$dir/bin/$a" ] || ln -s busybox "$dir/bin/$a"
done
cp "$PIDONE" "$dir/sbin/pidone"
for h in "$top"/tests/helpers/*; do
	[ -x "$h" ] && [ -f "$h" ] && cp "$h" "$dir/usr/bin/"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$dir/etc/passwd"
echo 'root:x:0:' > "$dir/etc/group"
exit 0
