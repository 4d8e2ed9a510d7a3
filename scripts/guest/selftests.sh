#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the VM selftests.  First what happens around loading (bad
# parameters, the tool without the module), then every selftest in
# /selftests/TESTS between @@BIN markers (the host counts each binary's TAP
# against its plan, so a crashed binary's missing tests count as failures),
# then the unload.

# check NAME COMMAND...: one TAP line for whether COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name"
	fi
}

# insmod with a bad parameter must fail, leave nothing loaded and say why
# in one dmesg line naming the parameter.
bad_param() {
	dmesg -c >/dev/null
	! insmod /connprobe.ko "$1" 2>/dev/null &&
		[ ! -e /sys/module/connprobe ] &&
		dmesg | grep -q "connprobe: .*${1%%=*}"
}

tool_without_module() {
	! connprobe stats >/dev/null 2>/tmp/err &&
		grep -q 'not loaded' /tmp/err
}

check "load: buf_size=1 refused with a reason" bad_param buf_size=1
check "load: buf_size=1G refused with a reason" bad_param buf_size=1073741824
check "load: buf_size=abc refused with a reason" bad_param buf_size=abc
check "load: maxactive=0 refused with a reason" bad_param maxactive=0
check "tool: says the module is not loaded" tool_without_module

insmod /connprobe.ko || exit 1
check "debugfs: every connprobe file is root-only (0400)" \
	sh -c '! stat -c "%a %n" /sys/kernel/debug/connprobe/* | grep -v "^400 "'

while read -r t; do
	[ -n "$t" ] || continue
	echo "@@BIN-START $t"
	/selftests/"$t"
	echo "@@BIN-END $t $?"
done < /selftests/TESTS

check "unload: module unloads and removes its debugfs directory" \
	sh -c 'rmmod connprobe && [ ! -e /sys/kernel/debug/connprobe ]'
