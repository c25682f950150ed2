/* mail-tool.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses shared by every subcommand. */
enum {
  MAIL_TOOL_EXIT_OK = 0,
  MAIL_TOOL_EXIT_FAILED = 1,
  MAIL_TOOL_EXIT_USAGE = 2,
};

/* A subcommand: argv[0] is the subcommand's name. */
typedef int (*MailToolCommandFunc) (int argc, char **argv);

typedef struct
{
  const char          *name;
  const char          *summary;
  MailToolCommandFunc  run;
} MailToolCommand;

int mail_tool_check (int    argc,
                     char **argv);

G_END_DECLS
