#!/bin/bash
# Proves: verdicts come from what the stream does, never from a profile's name: the gnome-headless
# profile copied under the name "dmabuf-only", with every identifying name in it (file name,
# description, modelled-on, node-name, comments) swapped for dmabuf-only's, still gets
# gnome-headless's verdicts.
. "$TESTS_SRCDIR/lib.sh"
set -e
start_stack
dmabuf=$PWZC_DATADIR/profiles/dmabuf-only.profile
# Only content stays: no comment, and each name taken from the dmabuf-only profile.
name_of() { sed -n "s/^$1 *= *//p" "$dmabuf"; }
grep -v '^#' "$PWZC_DATADIR/profiles/gnome-headless.profile" |
    sed -e "s|^description *=.*|description = $(name_of description)|" \
        -e "s|^modelled-on *=.*|modelled-on = $(name_of modelled-on)|" \
        -e "s|^node-name *=.*|node-name = $(name_of node-name)|" >"$T/dmabuf-only.profile"
for key in description modelled-on node-name; do
    grep -qx "$key = $(name_of "$key")" "$T/dmabuf-only.profile" || fail "the copy has no $key of dmabuf-only's"
done
if grep -qiE 'gnome|mutter|headless' "$T/dmabuf-only.profile"; then
    fail "the copy still names its origin: $(grep -iE 'gnome|mutter|headless' "$T/dmabuf-only.profile")"
fi
run_pwzc probe --emulate "$T/dmabuf-only.profile" --offers shm,dmabuf-linear --timeout 5 --json
[ "$(json "$T/out" "d['session']['node_name']")" = "$(name_of node-name)" ] ||
    fail "the producer is not the renamed copy: $(json "$T/out" "d['session']['node_name']")"
expect_offer verdict shm works
expect_offer verdict dmabuf-linear "$NO_FORMAT_VERDICT"
expect_rc 0 "shm works"
