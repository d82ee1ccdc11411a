/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VMAMAP_RENDER_DIFF_H
#define VMAMAP_RENDER_DIFF_H
#endif
