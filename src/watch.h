/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VMAMAP_WATCH_H
#define VMAMAP_WATCH_H
#endif
