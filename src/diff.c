// SPDX-License-Identifier: GPL-2.0-or-later
/* diff.c - placeholder while it is written. */
#include "config.h"
