// SPDX-License-Identifier: GPL-2.0-or-later
/* watch.c - placeholder while it is written. */
#include "config.h"
