# SPDX-License-Identifier: GPL-2.0
# /sys/kernel/slubguard/reports holds the last 8 reports in full, as the
# console printed them, including those report_limit kept off the console
# and one larger than a page (eight timers with their arming stacks);
# only root reads it (reports hold addresses). slubguardctl prints them, as
# text or JSON, watches the counters live, and prints JSON for every
# command. slubguardctl and its man page are where 'make install' put them.
#@ backends: ftrace
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_many_init\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: sg_many_timer\+

R=/sys/kernel/slubguard/reports

# The console's lines of the last report, as the file keeps them.
console_report() {
	dmesg_since_mark | awk '/^slubguard: =====/ { n++ } n == 1 || /^slubguard: =====/ && n == 2 { print }'
}

# modules_install's place for it: extra/, or updates/ (compressed as the
# kernel's own modules) from 6.6 on.
installed_by_make() {
	case "$(modinfo -n slubguard)" in
	/lib/modules/$(uname -r)/extra/slubguard.ko) ;;
	/lib/modules/$(uname -r)/updates/slubguard.ko | /lib/modules/$(uname -r)/updates/slubguard.ko.[gxz]*) ;;
	*) return 1 ;;
	esac
}

as_nobody() {
	su -s /bin/sh nobody -c "$1" </dev/null
}

# /tmp/json: '[{"title":"BUG: ...","lines":[...]},...]' with 8 reports.
json_reports() {
	grep -q '^\[{"title":"BUG: slubguard: free of armed timer_list in sg_many_init+' /tmp/json &&
		[ "$(grep -o '{"title":' /tmp/json | wc -l)" = 8 ] &&
		[ "$(tail -c 4 /tmp/json)" = ']}]' ]
}

ktap_plan 27
expect_eq "slubguardctl installed in /usr/sbin" /usr/sbin/slubguardctl "$(command -v slubguardctl)"
check "its man page in /usr/share/man/man8" test -s /usr/share/man/man8/slubguardctl.8
check "the module where modules_install puts it" installed_by_make

load_slubguard report_limit=0
expect_eq "no report yet: the file is empty" 0 "$(wc -c <$R)"
expect_eq "root only" "-r--------" "$(ls -l $R | cut -c1-10)"
dmesg_mark
modprobe sg_seed reuse=0
rmmod sg_seed
console_report >/tmp/console
cp $R /tmp/file
check "the report, as the console printed it" cmp /tmp/console /tmp/file
check "its title first" sh -c "sed -n 2p $R | grep -q '^BUG: slubguard: free of armed hrtimer in sg_seed_exit+'"
check "slubguardctl reports prints it" sh -c "slubguardctl reports | cmp - /tmp/file"
as_nobody "cat $R" >/dev/null 2>&1
expect_eq "a user cannot read it" 1 $?
as_nobody "slubguardctl reports" >/dev/null 2>/tmp/err
expect_eq "nor through slubguardctl: exit 1" 1 $?
check "which says why" grep -q 'permission denied' /tmp/err
rmmod slubguard

# More hits than it keeps, most of them kept off the console.
load_slubguard policy=quarantine report_limit=1 quarantine_ms=600000
modprobe sg_many count=12
expect_eq "12 hits, 1 printed" "12 11" "$(stat armed_frees) $(stat reports_suppressed)"
expect_eq "the file keeps the last 8" 8 "$(grep -c '^BUG: slubguard: free of armed timer_list in sg_many_init+' $R)"
slubguardctl -j reports >/tmp/json
check "as JSON: an array of 8 reports" json_reports
rmmod sg_many

# Counters live.
slubguardctl watch 1 3 >/tmp/watch
expect_eq "watch 1 3: three samples, a second apart" "0s 1s 2s" "$(cut -d' ' -f1 /tmp/watch | tr '\n' ' ' | sed 's/ $//')"
check "the first shows every counter" grep -q '^0s .* armed_frees 12 .* frees_checked [0-9]' /tmp/watch
slubguardctl -j watch 1 2 >/tmp/watch
check "as JSON: an object a line" sh -c "test \$(grep -c '^{\"t\":[01],\"stats\":{.*\"armed_frees\":12,.*},\"changed\":{.*}}$' /tmp/watch) = 2"
slubguardctl watch 1 >/dev/null 2>/tmp/err &
watcher=$!
sleep 1
rmmod slubguard
wait $watcher
expect_eq "watch stops with status 1 when slubguard is unloaded" 1 $?
check "and says so" grep -q 'slubguard was unloaded' /tmp/err
slubguardctl watch 0 2>/dev/null
expect_eq "watch 0, slubguard unloaded: a usage error all the same, exit 2" 2 $?

# A report over 4 KiB: eight timers, each with the stack that armed it.
load_slubguard policy=quarantine track_stacks=1 report_limit=0 quarantine_ms=600000
dmesg_mark
modprobe sg_many count=1 timers=8
console_report >/tmp/console
cp $R /tmp/file
echo "slubguard-guest: the 8-timer report: $(wc -c </tmp/file) bytes, $(wc -l </tmp/file) lines"
check "a report of 8 timers with their arming stacks is over 4 KiB" test "$(wc -c </tmp/file)" -gt 4096
check "kept whole, as the console printed it" cmp /tmp/console /tmp/file
modprobe sg_seed reuse=0
rmmod sg_seed
slubguardctl -j reports >/tmp/json
expect_eq "-j: the two reports, each under its title" \
	"sg_many_init sg_seed_exit" \
	"$(grep -o '"title":"BUG: slubguard: free of armed [a-z_]* in [a-z_]*' /tmp/json | sed 's/.* in //' | tr '\n' ' ' | sed 's/ $//')"
rmmod sg_many
check "slubguard unloads" rmmod slubguard

# JSON for every command.
load_slubguard
expect_eq "-j policy NAME: the policy now" '{"policy":"panic","available":["warn","panic","quarantine"]}' \
	"$(slubguardctl -j policy panic)"
slubguardctl policy warn
expect_eq "-j disable, -j enable" '{"enabled":0} {"enabled":1}' \
	"$(slubguardctl -j disable) $(slubguardctl -j enable)"
check "-j help" sh -c "slubguardctl -j help | grep -q '^{\"commands\":\[{\"name\":\"stats\",.*{\"name\":\"watch\",\"args\":\"\[SECONDS \[COUNT\]\]\",'"
rmmod slubguard
