#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make check" and "make demo" on a machine that has none of the packages:
# they install them (make deps) and build in the same run. Proved without
# uninstalling anything: the top Makefile runs in a copy of the tree whose
# scripts/kernel-release fails until a stamp exists, and whose scripts/deps
# creates that stamp, as installing linux-headers-amd64 would.
#
#   $T/Makefile        the real one
#   $T/scripts/deps    fake: "--check" fails until the stamp exists; creates it
#   $T/scripts/kernel-release  fake: fails before the stamp, then prints the
#                      host's real 6.1 release
#   $T/kmod            a ten-line module, built for real against that release
#   agent/, kea/, selftests/ ...  stubs that record what they were given
#
# Needs: an installed Debian 6.1 kernel with headers (make deps).

set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
source "$REPO/selftests/lib.sh"

real=$("$REPO/scripts/kernel-release" 2>/dev/null) ||
	skip_all "no Debian 6.1 kernel with headers installed"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The tree: the real Makefile, fakes and stubs around it.
mkdir -p "$T"/{scripts,kmod,agent,kea,selftests/unit,selftests/vm}
cp "$REPO/Makefile" "$T/Makefile"
cat >"$T/scripts/deps" <<'EOF'
#!/bin/sh
stamp=$(dirname "$0")/../installed
if [ "${1:-}" = --check ]; then [ -e "$stamp" ]; exit; fi
echo install >>"$(dirname "$0")/../deps.log"
touch "$stamp"
EOF
cat >"$T/scripts/kernel-release" <<EOF
#!/bin/sh
[ -n "\${KREL:-}" ] && { echo "\$KREL"; exit 0; }
[ -e "\$(dirname "\$0")/../installed" ] || { echo "no kernel" >&2; exit 1; }
echo $real
EOF
printf '#!/bin/sh\nmkdir -p "$1" && touch "$1/.stamp"\n' >"$T/scripts/extract-ksrc"
# What the test runner and the VM runner were started with.
printf '#!/bin/sh\necho "KREL=${KREL-unset}" >%s/check.env\necho "1 passed, 0 failed"\n' \
	"$T" >"$T/selftests/check"
printf '#!/bin/sh\necho "KREL=${KREL-unset} $*" >%s/demo.env\n' "$T" >"$T/selftests/vm/run.sh"
chmod +x "$T"/scripts/* "$T/selftests/check" "$T/selftests/vm/run.sh"
for dir in agent kea selftests selftests/unit; do
	printf 'all:\n\t@echo "stub $(CURDIR) KREL=$${KREL-unset}" >>%s/stubs.log\nclean:\n' \
		"$T" >"$T/$dir/Makefile"
done
cat >"$T/kmod/Kbuild" <<'EOF'
obj-m += firstrun.o
EOF
cat >"$T/kmod/firstrun.c" <<'EOF'
#include <linux/module.h>
static int __init firstrun_init(void) { return 0; }
static void __exit firstrun_exit(void) { }
module_init(firstrun_init);
module_exit(firstrun_exit);
MODULE_LICENSE("GPL");
EOF

mk() { env -u KREL -u KDIR make -C "$T" "$@" >"$T/out" 2>&1; }

# Before "installing", the module build says what is missing.
rc=0; mk module || rc=$?
check "before make deps, make module fails" test $rc -ne 0
check "... and says the kernel is missing" grep -q "no Debian 6.1 kernel" "$T/out"
check "... without calling make with an empty /lib/modules//build" \
	bash -c "! grep -q '/lib/modules//build' '$T/out'"

# The first make check: installs, then builds for the real release.
rc=0; mk check || rc=$?
check_eq "first make check exits 0" 0 $rc
[[ $rc -eq 0 ]] || sed 's/^/#   /' "$T/out" | tail -n 20
check_eq "make deps ran once" install "$(cat "$T/deps.log" 2>/dev/null)"
check "the module was built against /lib/modules/$real/build" \
	grep -q "/lib/modules/$real/build" "$T/out"
vermagic=$(modinfo -F vermagic "$T/kmod/firstrun.ko" 2>/dev/null)
check_eq "the module's vermagic names $real" "$real" "${vermagic%% *}"
check_eq "no empty KREL reaches the sub-makes" \
	"$(printf 'stub %s KREL=unset\n' "$T/agent" "$T/kea" "$T/selftests" "$T/selftests/unit")" \
	"$(cat "$T/stubs.log")"
check_eq "nor selftests/check" "KREL=unset" "$(cat "$T/check.env")"

# make demo on the same kind of machine.
rm -f "$T/installed" "$T/deps.log" "$T/kmod/firstrun.ko"
rc=0; mk demo || rc=$?
check_eq "first make demo exits 0" 0 $rc
check_eq "make demo installed" install "$(cat "$T/deps.log" 2>/dev/null)"
check "make demo built the module for $real" test -e "$T/kmod/firstrun.ko"
check_eq "make demo ran the VM without an empty KREL" \
	"KREL=unset --timeout 300 -- scripts/demo" "$(cat "$T/demo.env")"

# The overrides still work, and reach the sub-makes.
mk -n module KREL=6.1.0-99-amd64
check "KREL= picks the headers" grep -q -- "-C /lib/modules/6.1.0-99-amd64/build" "$T/out"
mk -n module KDIR=/opt/linux-build
check "KDIR= picks the build tree" grep -q -- "-C /opt/linux-build" "$T/out"
: >"$T/stubs.log"
mk agent KREL=6.1.0-99-amd64
check_eq "a command-line KREL reaches the sub-makes" \
	"stub $T/agent KREL=6.1.0-99-amd64" "$(cat "$T/stubs.log")"
tap_done
