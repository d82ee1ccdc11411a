#!/bin/bash
. "$srcdir/tests/lib.sh"
tap_done
