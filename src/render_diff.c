// SPDX-License-Identifier: GPL-2.0-or-later
/* render_diff.c - placeholder while it is written. */
#include "config.h"
