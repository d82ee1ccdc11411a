// SPDX-License-Identifier: GPL-2.0-or-later
/* snapshot.c - placeholder while it is written. */
#include "config.h"
