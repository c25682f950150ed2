/* mail-autoconfig-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-autoconfig-error.h"

G_DEFINE_QUARK (mail-autoconfig-error-quark, mail_autoconfig_error)
